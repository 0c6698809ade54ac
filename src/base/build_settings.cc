#include "base/build_settings.h"

#include <algorithm>

#include "base/settings.h"
#include "base/strings.h"

namespace bp {

namespace {

// A binary is a plain file name of the release's top directory.
bool IsBinaryName(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<std::vector<std::string>> ReadEtcdBinaries(const Env& env) {
  const std::optional<std::vector<std::string>> listed = Read(env, settings::kEtcdBinaries);
  if (!listed) return BuildSettings().etcd_binaries;
  std::vector<std::string> binaries = {"etcd"};
  for (const std::string& name : *listed) {
    if (!IsBinaryName(name)) {
      return InvalidSetting(settings::kEtcdBinaries.name,
                            Read(env, TextSetting{settings::kEtcdBinaries.name}).value_or(""),
                            "a comma list of etcd's binaries",
                            "names from the release, e.g. etcd,etcdctl,etcdutl");
    }
    if (std::find(binaries.begin(), binaries.end(), name) == binaries.end())
      binaries.push_back(name);
  }
  return binaries;
}

}  // namespace

Result<BuildSettings> ReadBuildSettings(const Env& env) {
  BuildSettings s;
  s.etcd_version = Read(env, settings::kEtcdVersion);
  Result<std::vector<std::string>> binaries = ReadEtcdBinaries(env);
  if (!binaries.ok()) return binaries.error();
  s.etcd_binaries = binaries.value();
  Result<std::optional<bool>> enabled = ReadOptional(env, settings::kProxyEnabled);
  if (!enabled.ok()) return enabled.error();
  s.proxy_enabled = enabled.value();
  Result<bool> sidecar = Read(env, settings::kSidecar);
  if (!sidecar.ok()) return sidecar.error();
  s.sidecar = sidecar.value();
  Result<long> memory = Read(env, settings::kSidecarMemory);
  if (!memory.ok()) return memory.error();
  s.sidecar_memory_mb = static_cast<int>(memory.value());
  return s;
}

LogLevel LogLevelFrom(const Env& env) {
  if (ToLower(Read(env, settings::kLogLevel).value_or("")) == "debug") return LogLevel::kDebug;
  const std::optional<std::string> debug = Read(env, settings::kDebug);
  return debug && ParseBool(*debug) != false ? LogLevel::kDebug : LogLevel::kInfo;
}

}  // namespace bp
