// Helpers shared by the libFuzzer targets in fuzz/: a private temp directory created once per
// process (and removed at exit), file writing that aborts on I/O failure (a broken harness must
// never look like a clean run), and an abort-with-message for the targets' own invariants.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace bp_fuzz {

namespace fs = std::filesystem;

// Prints `what` and aborts, so libFuzzer records the input as a crash.
[[noreturn]] inline void Fail(const std::string& what) {
  std::fprintf(stderr, "FUZZ INVARIANT VIOLATED: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

// True for a TOML bare key ([A-Za-z0-9_-]+): the only keys bp::ToTomlText promises to write back.
inline bool IsBareKey(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

#define BP_FUZZ_CHECK(condition, message)                                          \
  do {                                                                             \
    if (!(condition)) ::bp_fuzz::Fail(std::string(#condition) + ": " + (message)); \
  } while (0)

// A directory under $TMPDIR (or /tmp), unique to this process, removed by exit().
inline const fs::path& ProcessTempDir() {
  static const fs::path dir = [] {
    const char* base = std::getenv("TMPDIR");
    std::string templ =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/bp-fuzz-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) Fail("mkdtemp failed for " + templ);
    static const fs::path made = fs::canonical(templ);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(made, ec);
    });
    return made;
  }();
  return dir;
}

// Removes `path` recursively; aborts when that fails (the next run would see stale files).
inline void RemoveTree(const fs::path& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) Fail("cannot remove " + path.string() + ": " + ec.message());
}

// Makes `path` an empty directory.
inline void FreshDir(const fs::path& path) {
  RemoveTree(path);
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) Fail("cannot create " + path.string() + ": " + ec.message());
}

// Writes `content` to `path` (truncating); aborts on failure.
inline void WriteFile(const fs::path& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) Fail("cannot create " + path.string());
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) Fail("cannot write " + path.string());
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) Fail("cannot close " + path.string());
}

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace bp_fuzz
