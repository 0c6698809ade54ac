#include "proxy/embedded.h"

#include "base/strings.h"
#include "base/toml_fields.h"
#include "proxy/health.h"
#include "proxy/proxy_command.h"

namespace bp {

namespace {

constexpr long kMaxSeconds = 3600;

Result<std::optional<long>> ReadSeconds(const Env& env, const char* name, const char* hint) {
  const std::optional<std::string> text = env.GetSetting(name);
  if (!text) return std::optional<long>();
  const std::optional<long> seconds = ParseCount(*text, kMaxSeconds);
  if (!seconds) {
    return MakeError(ErrorKind::kInvalidInput, std::string(name) + "=" + Quote(*text) + " is not a number of seconds",
                     hint);
  }
  return seconds;
}

}  // namespace

Result<EmbeddedSettings> ReadEmbeddedSettings(const Env& env) {
  EmbeddedSettings settings;
  if (std::optional<std::string> enabled = env.GetSetting("BPL_ETCD_PROXY_EMBEDDED")) {
    const std::optional<bool> value = ParseBool(*enabled);
    if (!value) {
      return MakeError(ErrorKind::kInvalidInput, "BPL_ETCD_PROXY_EMBEDDED=" + Quote(*enabled) + " is not true or false",
                       "set it to true to run the proxy inside the app's container, or leave it unset");
    }
    settings.enabled = *value;
  }
  Result<std::optional<long>> timeout =
      ReadSeconds(env, "BPL_ETCD_PROXY_START_TIMEOUT", "use whole seconds from 0 to 3600, e.g. 30");
  if (!timeout.ok()) return timeout.error();
  if (timeout.value()) settings.start_timeout = std::chrono::seconds(*timeout.value());
  return settings;
}

Result<std::optional<std::chrono::milliseconds>> ReadShutdownDelay(const Env& env) {
  Result<std::optional<long>> delay = ReadSeconds(env, "BPL_ETCD_PROXY_SHUTDOWN_DELAY",
                                                  "use whole seconds from 0 to 3600, shorter than the platform's "
                                                  "termination grace period (Kubernetes: 30 s by default)");
  if (!delay.ok()) return delay.error();
  if (!delay.value() || *delay.value() == 0) return std::optional<std::chrono::milliseconds>();
  return std::optional<std::chrono::milliseconds>(std::chrono::seconds(*delay.value()));
}

bool IsSidecarProcess(const Env& env) { return env.GetSetting(kProcessTypeMarker) == kSidecarProcessType; }

std::string ClientAddress(const Env& env) {
  const HealthTarget listener = HealthTargetFor(env);
  return listener.https ? "https://" + listener.address : listener.address;
}

std::vector<std::pair<std::string, std::string>> AppEndpointVariables(const Env& env,
                                                                       const std::string& client_address) {
  std::vector<std::pair<std::string, std::string>> vars;
  for (const char* name : {"ETCDCTL_ENDPOINTS", "ETCD_ENDPOINTS"}) {
    if (!env.GetSetting(name)) vars.emplace_back(name, client_address);
  }
  return vars;
}

EmbeddedAction DecideEmbedded(const EmbeddedSettings& settings, bool sidecar_process, bool supervisor_running) {
  if (sidecar_process) return EmbeddedAction::kSidecar;
  if (!settings.enabled) return EmbeddedAction::kWireOnly;
  return supervisor_running ? EmbeddedAction::kReuse : EmbeddedAction::kStart;
}

std::chrono::milliseconds HealthProbePause(std::chrono::milliseconds elapsed) {
  return elapsed < std::chrono::milliseconds(500) ? std::chrono::milliseconds(5) : std::chrono::milliseconds(50);
}

std::string SupervisorLockName(const std::string& listen_addr) {
  std::string name = "etcd-proxy-supervisor-";
  for (char c : listen_addr) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.';
    name += plain ? c : '_';
  }
  return name + ".lock";
}

std::string ExecDToml(const std::vector<std::pair<std::string, std::string>>& vars) {
  if (vars.empty()) return "";
  toml::table table;
  for (const auto& [name, value] : vars) table.insert_or_assign(name, value);
  return ToTomlText(table);
}

}  // namespace bp
