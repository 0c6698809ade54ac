#include "proxy_config/proxy_plan.h"

#include <optional>

#include "base/bindings.h"
#include "base/strings.h"
#include "proxy_config/etcd_binding.h"
#include "proxy_config/listener_certificate.h"
#include "proxy_config/pem_files.h"
#include "proxy_config/tls_check.h"
#include "proxy_config/vcap_services.h"
#include "proxy_config/version_guard.h"

namespace bp {

namespace {

Result<ProxySettings> ResolveSettings(const Env& env, const LaunchSettings& launch) {
  const std::optional<std::string>& selector = launch.binding;
  ProxySettings merged = launch.proxy;
  bool selector_matched = false;
  if (std::optional<std::string> root = env.GetSetting("SERVICE_BINDING_ROOT")) {
    Result<std::vector<Binding>> bindings = ReadBindings(*root);
    if (!bindings.ok()) return bindings.error();
    Result<std::optional<ProxySettings>> bound = SettingsFromBindings(bindings.value(), selector);
    if (!bound.ok()) return bound.error();
    if (bound.value()) {
      merged = Overlay(merged, *bound.value());
      selector_matched = true;
    }
  }
  Result<std::optional<VcapServicesText>> vcap = ReadVcapServices(env);
  if (!vcap.ok()) return vcap.error();
  if (vcap.value()) {
    const std::optional<std::string>& file = vcap.value()->file;
    Result<std::optional<ProxySettings>> service =
        SettingsFromVcapServices(vcap.value()->text, selector, file.has_value());
    if (!service.ok())
      return file ? service.error().Wrap("VCAP_SERVICES_FILE_PATH " + EscapeControl(*file))
                  : service.error();
    if (service.value() && file && service.value()->endpoints)
      service.value()->endpoints_file = *file;
    if (service.value()) {
      merged = Overlay(merged, *service.value());
      selector_matched = true;
    }
  }
  if (selector && !selector_matched) {
    return MakeError(
        ErrorKind::kInvalidInput,
        "BPL_ETCD_PROXY_BINDING=" + Quote(*selector) + " names no binding or VCAP_SERVICES service",
        "set it to the name of a bound service, or unset it when only one etcd service is bound");
  }
  return merged;
}

}  // namespace

Result<ProxyCommand> PlanProxy(const Env& env, const LaunchSettings& launch,
                               const InstalledEtcd& etcd,
                               const std::vector<std::string>& passthrough, bool write_files) {
  Result<ProxySettings> settings = ResolveSettings(env, launch);
  if (!settings.ok()) return settings.error();
  const fs::path& etcd_path = etcd.binary;
  // Asked at most once, and only when a rule depends on it; the build's record keeps etcd from
  // running.
  std::optional<Result<std::string>> installed;
  const auto installed_version = [&]() -> Result<std::string> {
    if (!installed) installed = InstalledEtcdVersion(etcd_path, etcd.report_version);
    return *installed;
  };
  Status supported = CheckVersionSupport(settings.value().cluster, passthrough, installed_version);
  if (!supported.ok()) return supported.error();
  Status tls = CheckTlsMaterial(settings.value(), installed_version);
  if (!tls.ok()) return tls.error();
  const fs::path tmp = TempDir(env);
  Result<ProxySettings> files =
      MaterializePemFiles(settings.value(), PemDirectory(tmp, settings.value()), write_files);
  if (!files.ok()) return files.error();
  Result<ProxyCommand> command = AssembleProxyCommand(files.value(), etcd_path.string(),
                                                      (tmp / "etcd-proxy").string(), passthrough);
  if (!command.ok()) return command;
  Status listener =
      CheckListenerCertificate(settings.value().cluster, command.value().listener.advertise_host,
                               env, command.value().warnings, installed_version);
  if (!listener.ok()) return listener.error();
  return command;
}

}  // namespace bp
