#include "launch/embedded.h"

#include "base/settings.h"
#include "base/strings.h"
#include "base/toml_fields.h"
#include "launch/health.h"
#include "proxy_config/proxy_command.h"

namespace bp {

Result<EmbeddedSettings> ReadEmbeddedSettings(const Env& env) {
  EmbeddedSettings embedded;
  Result<bool> enabled = Read(env, settings::kEmbedded);
  if (!enabled.ok()) return enabled.error();
  embedded.enabled = enabled.value();
  Result<std::chrono::seconds> timeout = Read(env, settings::kStartTimeout);
  if (!timeout.ok()) return timeout.error();
  embedded.start_timeout = timeout.value();
  return embedded;
}

Result<std::optional<std::chrono::milliseconds>> ReadShutdownDelay(const Env& env) {
  Result<std::chrono::seconds> delay = Read(env, settings::kShutdownDelay);
  if (!delay.ok()) return delay.error();
  if (delay.value().count() == 0) return std::optional<std::chrono::milliseconds>();
  return std::optional<std::chrono::milliseconds>(delay.value());
}

bool IsSidecarProcess(const Env& env) {
  return env.GetSetting(kProcessTypeMarker) == kSidecarProcessType;
}

std::string ClientAddress(const HealthTarget& listener) {
  return listener.https ? "https://" + listener.address : listener.address;
}

std::vector<std::pair<std::string, std::string>> AppEndpointVariables(
    const Env& env, const std::string& client_address) {
  std::vector<std::pair<std::string, std::string>> vars;
  for (const char* name : {"ETCDCTL_ENDPOINTS", "ETCD_ENDPOINTS"}) {
    if (!env.GetSetting(name)) vars.emplace_back(name, client_address);
  }
  return vars;
}

std::string ExecDToml(const std::vector<std::pair<std::string, std::string>>& vars) {
  if (vars.empty()) return "";
  toml::table table;
  for (const auto& [name, value] : vars) table.insert_or_assign(name, value);
  return ToTomlText(table);
}

}  // namespace bp
