// What the executables' main() functions share: reading argv and the log level. Header-only,
// since only entry points include it.
#pragma once

#include <unistd.h>

#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include "base/build_settings.h"
#include "base/env.h"
#include "base/exit_code.h"
#include "base/log.h"

namespace bp {

// Returns the directory holding the running executable, from argv[0] when it is a path (the
// lifecycle and the shim always call us by path), else from /proc/self/exe.
inline std::filesystem::path ExecutableDir(const char* argv0) {
  const std::string arg0 = argv0 == nullptr ? "" : argv0;
  std::error_code ec;
  if (arg0.find('/') != std::string::npos) return std::filesystem::absolute(arg0, ec).parent_path();
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path(ec) : self.parent_path();
}

// Returns the basename of argv[0]: the phase a multi-call executable runs as.
inline std::string InvokedAs(const char* argv0) {
  return argv0 == nullptr ? "" : std::filesystem::path(argv0).filename().string();
}

inline std::vector<std::string> Arguments(int argc, char** argv, int first) {
  std::vector<std::string> args;
  for (int i = first; i < argc; ++i) args.emplace_back(argv[i]);
  return args;
}

// Returns true when `path` is an existing regular file (the download settings' probe for CA
// bundles).
inline bool RegularFileExists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

// Runs `body` and returns its exit code. Expected failures are bp::Error values; an exception
// reaching here is a bug, reported as one line prefixed with `program`.
template <typename Body>
int GuardedMain(const char* program, Body body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    std::cerr << program << "ERROR: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << program << "ERROR: internal error\n";
  }
  return kExitError;
}

}  // namespace bp
