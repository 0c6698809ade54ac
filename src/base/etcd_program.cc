#include "base/etcd_program.h"

#include <chrono>

#include "base/strings.h"
#include "base/subprocess.h"
#include "base/target.h"

namespace bp {

Env EtcdEnvironment(const Env& env, const std::string& host_arch) {
  Env result = env;
  if (host_arch == "arm64" && !env.Get("ETCD_UNSUPPORTED_ARCH"))
    result.Set("ETCD_UNSUPPORTED_ARCH", "arm64");
  return result;
}

Result<std::string> EtcdBinaryVersion(const std::filesystem::path& etcd) {
  Env env;
  env.Set("PATH", "/usr/bin:/bin");
  Result<CommandOutput> ran =
      RunCaptured({etcd.string(), "--version"}, EtcdEnvironment(env, HostTarget().arch),
                  std::chrono::seconds(20));
  if (!ran.ok()) return ran.error();
  if (ran.value().exit_code != 0) {
    return MakeError(ErrorKind::kInvalidInput, etcd.string() + " --version failed with exit code " +
                                                   std::to_string(ran.value().exit_code));
  }
  for (const std::string& line : SplitList(ran.value().output, '\n')) {
    if (StartsWith(line, "etcd Version:"))
      return std::string(Trim(std::string_view(line).substr(13)));
  }
  return MakeError(ErrorKind::kInvalidInput,
                   etcd.string() + " --version printed no \"etcd Version:\" line");
}

}  // namespace bp
