// Target platforms in OCI naming (os "linux", arch "amd64"/"arm64"), as CNB_TARGET_* use them.
#pragma once

#include <string>

#include "base/env.h"

namespace bp {

struct Target {
  std::string os;
  std::string arch;
  std::string ToString() const { return os + "/" + arch; }
  bool operator==(const Target& other) const { return os == other.os && arch == other.arch; }
};

// Returns the platform this process runs on.
Target HostTarget();

// Returns CNB_TARGET_OS/CNB_TARGET_ARCH, each falling back to the host's when unset.
Target TargetFromEnv(const Env& env);

}  // namespace bp
