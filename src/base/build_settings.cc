#include "base/build_settings.h"

#include "base/settings.h"
#include "base/strings.h"

namespace bp {

Result<BuildSettings> ReadBuildSettings(const Env& env) {
  BuildSettings s;
  s.etcd_version = Read(env, settings::kEtcdVersion);
  Result<bool> enabled = Read(env, settings::kProxyEnabled);
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
