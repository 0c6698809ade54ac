#include "launch/embedded.h"

#include "base/strings.h"
#include "base/toml_fields.h"
#include "launch/health.h"

namespace bp {

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
