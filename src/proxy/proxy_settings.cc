#include "proxy/proxy_settings.h"

#include "base/strings.h"

namespace bp {

namespace {

template <typename T>
void Fill(std::optional<T>& field, const std::optional<T>& fallback) {
  if (!field) field = fallback;
}

std::optional<TlsFile> PathSetting(const Env& env, const char* name) {
  std::optional<std::string> path = env.GetSetting(name);
  if (!path) return std::nullopt;
  return TlsFile{*path, "", name};
}

}  // namespace

std::vector<std::string> EndpointList(const std::string& list) { return SplitList(list, ','); }

Result<ProxySettings> SettingsFromEnv(const Env& env) {
  ProxySettings s;
  if (std::optional<std::string> endpoints = env.GetSetting("BPL_ETCD_PROXY_ENDPOINTS")) {
    s.endpoints = EndpointList(*endpoints);
    s.endpoints_origin = "BPL_ETCD_PROXY_ENDPOINTS";
  }
  s.listen_addr = env.GetSetting("BPL_ETCD_PROXY_LISTEN_ADDR");
  s.key_prefix = env.GetSetting("BPL_ETCD_PROXY_NAMESPACE");
  s.cacert = PathSetting(env, "BPL_ETCD_PROXY_CACERT");
  s.cert = PathSetting(env, "BPL_ETCD_PROXY_CERT");
  s.key = PathSetting(env, "BPL_ETCD_PROXY_KEY");
  s.metrics_addr = env.GetSetting("BPL_ETCD_PROXY_METRICS_ADDR");
  s.data_dir = env.GetSetting("BPL_ETCD_PROXY_DATA_DIR");
  if (std::optional<std::string> skip = env.GetSetting("BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY")) {
    s.insecure_skip_tls_verify = ParseBool(*skip);
    if (!s.insecure_skip_tls_verify) {
      return MakeError(ErrorKind::kInvalidInput,
                       "BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY=" + Quote(*skip) + " is not true or false",
                       "set it to true only to test against servers with untrusted certificates");
    }
  }
  Result<ClusterOptions> cluster = ClusterOptionsFromEnv(env);
  if (!cluster.ok()) return cluster.error();
  s.cluster = cluster.value();
  const bool any = s.endpoints || s.listen_addr || s.key_prefix || s.cacert || s.cert || s.key || s.metrics_addr ||
                   s.data_dir || s.insecure_skip_tls_verify || s.cluster.discovery_srv;
  if (any) s.sources.push_back("BPL_ETCD_PROXY_*");
  return s;
}

ProxySettings Overlay(const ProxySettings& high, const ProxySettings& low) {
  ProxySettings merged = high;
  if (!merged.endpoints) {
    merged.endpoints = low.endpoints;
    merged.endpoints_origin = low.endpoints_origin;
    merged.endpoints_file = low.endpoints_file;
  }
  Fill(merged.listen_addr, low.listen_addr);
  Fill(merged.key_prefix, low.key_prefix);
  Fill(merged.cacert, low.cacert);
  Fill(merged.cert, low.cert);
  Fill(merged.key, low.key);
  Fill(merged.metrics_addr, low.metrics_addr);
  Fill(merged.insecure_skip_tls_verify, low.insecure_skip_tls_verify);
  Fill(merged.data_dir, low.data_dir);
  merged.sources.insert(merged.sources.end(), low.sources.begin(), low.sources.end());
  return merged;
}

}  // namespace bp
