#include "proxy_config/proxy_settings.h"

#include "base/settings.h"
#include "base/strings.h"

namespace bp {

namespace {

template <typename T>
void Fill(std::optional<T>& field, const std::optional<T>& fallback) {
  if (!field) field = fallback;
}

std::optional<TlsFile> PathSetting(const Env& env, const TextSetting& setting) {
  std::optional<std::string> path = Read(env, setting);
  if (!path) return std::nullopt;
  TlsFile file;
  file.path = *path;
  file.origin = std::string(setting.name);
  return file;
}

bool SetsAnyField(const ProxySettings& settings) {
  return std::apply([&](auto... field) { return ((settings.*field).has_value() || ...); },
                    kOverlaidFields);
}

// The BPL_ETCD_PROXY_* source of the proxy's configuration.
Result<ProxySettings> ReadProxySource(const Env& env) {
  ProxySettings s;
  s.endpoints = Read(env, settings::kEndpoints);
  if (s.endpoints) s.endpoints_origin = std::string(settings::kEndpoints.name);
  Result<std::optional<ListenAddress>> listen = Read(env, settings::kListenAddr);
  if (!listen.ok()) return listen.error();
  s.listen_addr = listen.value();
  s.key_prefix = Read(env, settings::kNamespace);
  s.cacert = PathSetting(env, settings::kCaCert);
  s.cert = PathSetting(env, settings::kCert);
  s.key = PathSetting(env, settings::kKey);
  s.metrics_addr = Read(env, settings::kMetricsAddr);
  s.data_dir = Read(env, settings::kDataDir);
  Result<std::optional<bool>> skip = ReadOptional(env, settings::kInsecureSkipTlsVerify);
  if (!skip.ok()) return skip.error();
  s.insecure_skip_tls_verify = skip.value();
  Result<ClusterOptions> cluster = ClusterOptionsFromEnv(env);
  if (!cluster.ok()) return cluster.error();
  s.cluster = cluster.value();
  if (SetsAnyField(s) || s.cluster.discovery_srv) s.sources.push_back("BPL_ETCD_PROXY_*");
  return s;
}

// The settings of how the helper runs the proxy: embedded (and its start timeout) or as the
// sidecar (and its shutdown delay).
Status ReadHowToRun(const Env& env, LaunchSettings& launch) {
  Result<bool> embedded = Read(env, settings::kEmbedded);
  if (!embedded.ok()) return embedded.error();
  launch.embedded = embedded.value();
  Result<std::chrono::seconds> timeout = Read(env, settings::kStartTimeout);
  if (!timeout.ok()) return timeout.error();
  launch.start_timeout = timeout.value();
  Result<std::chrono::seconds> delay = Read(env, settings::kShutdownDelay);
  if (!delay.ok()) return delay.error();
  if (delay.value().count() > 0) launch.shutdown_delay = delay.value();
  return Ok();
}

}  // namespace

std::vector<std::string> EndpointList(const std::string& list) { return SplitList(list, ','); }

ListenAddress ListenAddressOf(const ProxySettings& settings) {
  if (settings.listen_addr) return *settings.listen_addr;
  return ListenAddress{kDefaultListenAddr, ParseListenAddress(kDefaultListenAddr).value()};
}

Result<LaunchSettings> ReadLaunchSettings(const Env& env) {
  LaunchSettings launch;
  Result<ProxySettings> proxy = ReadProxySource(env);
  if (!proxy.ok()) return proxy.error();
  launch.proxy = std::move(proxy).value();
  launch.binding = Read(env, settings::kBinding);
  Status running = ReadHowToRun(env, launch);
  if (!running.ok()) return running.error();
  return launch;
}

ProxySettings Overlay(const ProxySettings& high, const ProxySettings& low) {
  ProxySettings merged = high;
  if (!merged.endpoints) {
    merged.endpoints_origin = low.endpoints_origin;
    merged.endpoints_file = low.endpoints_file;
  }
  std::apply([&](auto... field) { (Fill(merged.*field, low.*field), ...); }, kOverlaidFields);
  merged.sources.insert(merged.sources.end(), low.sources.begin(), low.sources.end());
  return merged;
}

}  // namespace bp
