#include "cf/cf_files.h"

#include "base/strings.h"

namespace bp {

namespace {

// Tells the app where the proxy listens (SPEC §6.1), as exec.d does in CNB images: the client
// address of BPL_ETCD_PROXY_LISTEN_ADDR (a wildcard becomes loopback), unless the app's
// environment already names its endpoints. Safe under `set -eu`.
constexpr char kProfileEndpoints[] =
    "etcdproxy_client=\"${BPL_ETCD_PROXY_LISTEN_ADDR:-127.0.0.1:2379}\"\n"
    "case \"$etcdproxy_client\" in\n"
    "  :*) etcdproxy_client=\"127.0.0.1$etcdproxy_client\" ;;\n"
    "  0.0.0.0:*) etcdproxy_client=\"127.0.0.1:${etcdproxy_client#0.0.0.0:}\" ;;\n"
    "  \\[::\\]:*) etcdproxy_client=\"[::1]:${etcdproxy_client##*:}\" ;;\n"
    "esac\n"
    "if [ -n \"${BPL_ETCD_PROXY_LISTEN_CERT:-}\" ]; then etcdproxy_client=\"https://$etcdproxy_client\"; fi\n"
    "if [ -z \"${ETCDCTL_ENDPOINTS:-}\" ]; then export ETCDCTL_ENDPOINTS=\"$etcdproxy_client\"; fi\n"
    "if [ -z \"${ETCD_ENDPOINTS:-}\" ]; then export ETCD_ENDPOINTS=\"$etcdproxy_client\"; fi\n"
    "unset etcdproxy_client\n";

}  // namespace

std::string YamlQuote(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    quoted += c;
  }
  return quoted + "\"";
}

std::string ConfigYml(std::string_view buildpack_version, std::string_view etcd_version) {
  return "---\nname: etcdproxy\nversion: " + YamlQuote(buildpack_version) + "\nconfig:\n  etcd_version: " +
         YamlQuote(etcd_version) + "\n";
}

std::string ProfileScript(std::string_view deps_idx) {
  return "# Added by the etcd-proxy buildpack: puts etcd, etcdctl and etcd-proxy on the PATH of the\n"
         "# app and its sidecars, whichever buildpack runs last.\n"
         "export PATH=\"$DEPS_DIR/" + std::string(deps_idx) + "/bin${PATH:+:$PATH}\"\n" +
         kProfileEndpoints;
}

Result<SidecarSettings> ReadSidecarSettings(const Env& env) {
  SidecarSettings sidecar;
  if (std::optional<std::string> enabled = env.GetSetting("BP_ETCD_PROXY_SIDECAR")) {
    const std::optional<bool> value = ParseBool(*enabled);
    if (!value) {
      return MakeError(ErrorKind::kInvalidInput, "BP_ETCD_PROXY_SIDECAR=" + Quote(*enabled) + " is not true or false",
                       "set BP_ETCD_PROXY_SIDECAR to true to declare the sidecar, or leave it unset");
    }
    sidecar.enabled = *value;
  }
  if (std::optional<std::string> memory = env.GetSetting("BP_ETCD_PROXY_SIDECAR_MEMORY")) {
    std::string digits = ToLower(*memory);
    if (EndsWith(digits, "mb")) digits.resize(digits.size() - 2);
    if (EndsWith(digits, "m")) digits.resize(digits.size() - 1);
    const std::optional<long> mb = ParseCount(digits, 65536);
    if (!mb || *mb < 16) {
      return MakeError(ErrorKind::kInvalidInput, "BP_ETCD_PROXY_SIDECAR_MEMORY=" + Quote(*memory) + " is not a size in MB",
                       "set it to a number of megabytes from 16 to 65536, e.g. 64");
    }
    sidecar.memory_mb = static_cast<int>(*mb);
  }
  return sidecar;
}

std::string LaunchYml(std::string_view deps_idx, const SidecarSettings& sidecar) {
  return "---\n"
         "processes:\n"
         "- type: etcd-proxy\n"
         "  command: " + YamlQuote("$DEPS_DIR/" + std::string(deps_idx) + "/bin/etcd-proxy") + "\n"
         "  limits:\n"
         "    memory: " + std::to_string(sidecar.memory_mb) + "\n"
         "  platforms:\n"
         "    cloudfoundry:\n"
         "      sidecar_for:\n"
         "      - web\n";
}

}  // namespace bp
