#include "cf/cf_files.h"

#include <algorithm>

namespace bp {

namespace {

// Tells the app where the proxy listens, as exec.d does in CNB images: the client
// address of BPL_ETCD_PROXY_LISTEN_ADDR (a wildcard becomes loopback), unless the app's
// environment already names its endpoints. Safe under `set -eu`.
constexpr char kProfileEndpoints[] =
    "etcdproxy_client=\"${BPL_ETCD_PROXY_LISTEN_ADDR:-127.0.0.1:2379}\"\n"
    "case \"$etcdproxy_client\" in\n"
    "  :*) etcdproxy_client=\"127.0.0.1$etcdproxy_client\" ;;\n"
    "  0.0.0.0:*) etcdproxy_client=\"127.0.0.1:${etcdproxy_client#0.0.0.0:}\" ;;\n"
    "  \\[::\\]:*) etcdproxy_client=\"[::1]:${etcdproxy_client##*:}\" ;;\n"
    "esac\n"
    "if [ -n \"${BPL_ETCD_PROXY_LISTEN_CERT:-}\" ]; then "
    "etcdproxy_client=\"https://$etcdproxy_client\"; fi\n"
    "if [ -z \"${ETCDCTL_ENDPOINTS:-}\" ]; then export ETCDCTL_ENDPOINTS=\"$etcdproxy_client\"; "
    "fi\n"
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
  return "---\nname: etcdproxy\nversion: " + YamlQuote(buildpack_version) +
         "\nconfig:\n  etcd_version: " + YamlQuote(etcd_version) + "\n";
}

std::string ProfileScript(std::string_view deps_idx) {
  return "# Added by the etcd-proxy buildpack: puts etcd, etcdctl and etcd-proxy on the PATH of "
         "the\n"
         "# app and its sidecars, whichever buildpack runs last.\n"
         "export PATH=\"$DEPS_DIR/" +
         std::string(deps_idx) + "/bin${PATH:+:$PATH}\"\n" + kProfileEndpoints;
}

std::string LaunchYml(std::string_view deps_idx, int memory_mb) {
  return "---\n"
         "processes:\n"
         "- type: etcd-proxy\n"
         "  command: " +
         YamlQuote("$DEPS_DIR/" + std::string(deps_idx) + "/bin/etcd-proxy") +
         "\n"
         "  limits:\n"
         "    memory: " +
         std::to_string(memory_mb) +
         "\n"
         "  platforms:\n"
         "    cloudfoundry:\n"
         "      sidecar_for:\n"
         "      - web\n";
}

bool BuilderIgnoresLaunchYml(std::string_view deps_idx) {
  const bool digits =
      std::all_of(deps_idx.begin(), deps_idx.end(), [](char c) { return c >= '0' && c <= '9'; });
  return digits && deps_idx.size() > 1 && deps_idx.front() == '0';
}

}  // namespace bp
