#include "base/target.h"

#include <sys/utsname.h>

namespace bp {

namespace {

// Returns the OCI name of `machine` as uname(2) reports it: x86_64 → amd64, aarch64 → arm64.
std::string OciArch(const std::string& machine) {
  if (machine == "x86_64") return "amd64";
  if (machine == "aarch64" || machine == "arm64") return "arm64";
  if (machine == "ppc64le") return "ppc64le";
  if (machine == "s390x") return "s390x";
  if (machine.rfind("armv", 0) == 0) return "arm";
  if (machine == "i686" || machine == "i386") return "386";
  return machine;
}

}  // namespace

Target HostTarget() {
  utsname name{};
  if (::uname(&name) != 0) return {"linux", "unknown"};
  return {"linux", OciArch(name.machine)};
}

Target TargetFromEnv(const Env& env) {
  const Target host = HostTarget();
  return {env.GetSetting("CNB_TARGET_OS").value_or(host.os),
          env.GetSetting("CNB_TARGET_ARCH").value_or(host.arch)};
}

}  // namespace bp
