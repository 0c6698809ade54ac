// Filesystem helpers with the guarantees the buildpack needs: bounded reads, atomic writes
// (temp file + rename in the same directory), and directories replaced in one rename.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bp {

namespace fs = std::filesystem;

// Settings, binding entries and descriptors are small; anything larger is a mistake or an attack.
inline constexpr size_t kMaxSettingBytes = 1 << 20;

// Reads a file the user points at (a binding entry, a platform setting, a certificate). Symlinks
// are followed (Kubernetes projects bindings through ..data links), but what they lead to must be
// a regular file of at most `max_bytes`: a FIFO, device, socket or directory is refused without
// blocking (the open is non-blocking). Errors are one line naming the file, never its content;
// kInvalidInput for the wrong kind or size, kIo when it cannot be opened (or is missing).
Result<std::string> ReadSmallFile(const fs::path& path, size_t max_bytes);

// Returns "a FIFO", "a directory", … for a st_mode that is not a regular file.
std::string DescribeFileType(unsigned int st_mode);

// Opens `path` for reading without blocking on a FIFO or adopting a terminal, and refuses
// anything but a regular file: kIo when it cannot be opened (or is missing), kInvalidInput
// "<path> is a FIFO, not a regular file". Returns the descriptor (the caller closes
// it) and fills `info`. Paths in messages have control characters escaped.
Result<int> OpenRegularFile(const fs::path& path, struct stat* info);

// Writes `content` to `path` through a temporary file in the same directory and a rename, so a
// reader sees the old file or the new one, never a mix. `mode` applies to the new file.
Status WriteFileAtomic(const fs::path& path, std::string_view content,
                       fs::perms mode = fs::perms(0644));

// Copies `from` to `to` atomically (same rename guarantee as WriteFileAtomic).
Status CopyFileAtomic(const fs::path& from, const fs::path& to, fs::perms mode);

// Points the symlink `link` at `target` (taken literally, so it may be relative), replacing
// whatever `link` was through a rename.
Status SymlinkAtomic(const std::string& target, const fs::path& link);

// Removes `path` recursively, ignoring errors: for cleanup paths that must not fail.
void RemoveAllQuietly(const fs::path& path);

// Moves directory `staged` to `target`, replacing any existing `target`. The old tree is moved
// aside first, so `target` is either the old or the new tree at every instant but one rename.
Status ReplaceDirectory(const fs::path& staged, const fs::path& target);

// A directory removed (recursively) when this object dies, unless Release() was called.
class ScopedTempDir {
 public:
  // Creates the directory under `parent` (default: the system temp dir).
  static Result<ScopedTempDir> Create(const fs::path& parent, std::string_view prefix);
  ScopedTempDir(ScopedTempDir&& other) noexcept;
  ScopedTempDir& operator=(ScopedTempDir&& other) noexcept;
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ~ScopedTempDir();

  const fs::path& path() const { return path_; }
  // Keeps the directory; returns its path.
  fs::path Release();

 private:
  explicit ScopedTempDir(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

}  // namespace bp
