#include "proxy/helper.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "base/bindings.h"
#include "base/etcd_program.h"
#include "base/strings.h"
#include "proxy/child_process.h"
#include "proxy/etcd_binding.h"
#include "proxy/listener_certificate.h"
#include "proxy/pem_files.h"
#include "proxy/tls_check.h"
#include "proxy/vcap_services.h"
#include "proxy/version_guard.h"

namespace bp {

const char kHelperUsage[] =
    "usage: etcd-proxy [grpc-proxy flags...]    start etcd grpc-proxy, configured from "
    "BPL_ETCD_PROXY_*,\n"
    "                                          a service binding of type etcd, or VCAP_SERVICES\n"
    "       etcd-proxy print [flags...]        print the command it would run, one argument a "
    "line\n"
    "       etcd-proxy health [--timeout S]    wait until the proxy answers healthy (default 60 "
    "s)\n"
    "       etcd-proxy components              list the libraries linked into it (JSON, for "
    "SBOMs)\n"
    "       etcd-proxy --version\n"
    "Run as <helper layer>/exec.d/etcd-proxy+app (a link), it is the launcher's exec.d program: it "
    "sets\n"
    "ETCDCTL_ENDPOINTS/ETCD_ENDPOINTS for the app and, with BPL_ETCD_PROXY_EMBEDDED=true, starts "
    "a\n"
    "supervised proxy first. BPL_ETCD_PROXY_SHUTDOWN_DELAY=<seconds> keeps the sidecar serving "
    "after SIGTERM.\n";

namespace {

bool IsExecutableFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

Result<ProxySettings> ResolveSettings(const Env& env) {
  Result<LaunchSettings> launch = ReadLaunchSettings(env);
  if (!launch.ok()) return launch.error();
  const std::optional<std::string>& selector = launch.value().binding;
  ProxySettings merged = launch.value().proxy;
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

Result<HelperArgs> ParseHelperArgs(const std::vector<std::string>& args) {
  HelperArgs parsed;
  if (args.empty()) return parsed;
  const std::string& first = args.front();
  if (first == "--version" || first == "version") {
    parsed.mode = HelperMode::kVersion;
  } else if (first == "--help" || first == "-h" || first == "help") {
    parsed.mode = HelperMode::kHelp;
  } else if (first == "components" && args.size() == 1) {
    parsed.mode = HelperMode::kComponents;
  } else if (first == "print") {
    parsed.mode = HelperMode::kPrint;
    parsed.passthrough.assign(args.begin() + 1, args.end());
  } else if (first == "health") {
    parsed.mode = HelperMode::kHealth;
    for (size_t i = 1; i < args.size(); ++i) {
      std::string value;
      if (args[i] == "--timeout" && i + 1 < args.size()) {
        value = args[++i];
      } else if (StartsWith(args[i], "--timeout=")) {
        value = args[i].substr(10);
      } else {
        return MakeError(ErrorKind::kInvalidInput,
                         "etcd-proxy health: unknown argument " + Quote(args[i]),
                         "usage: etcd-proxy health [--timeout SECONDS]");
      }
      const std::optional<long> seconds = ParseCount(value, 86400);
      if (!seconds) {
        return MakeError(
            ErrorKind::kInvalidInput,
            "etcd-proxy health: --timeout " + Quote(value) + " is not a number of seconds",
            "usage: etcd-proxy health [--timeout SECONDS]");
      }
      parsed.timeout = std::chrono::seconds(*seconds);
    }
  } else {
    parsed.passthrough = args;
  }
  return parsed;
}

Result<fs::path> FindEtcd(const fs::path& helper_dir, const Env& env) {
  if (IsExecutableFile(helper_dir / "etcd")) return helper_dir / "etcd";
  for (const std::string& dir : SplitList(env.GetOr("PATH", ""), ':')) {
    if (IsExecutableFile(fs::path(dir) / "etcd")) return fs::path(dir) / "etcd";
  }
  return MakeError(ErrorKind::kNotFound, "cannot find the etcd binary beside etcd-proxy or on PATH",
                   "etcd-proxy runs in images built with the etcd-proxy buildpack, where the etcd "
                   "layer is on PATH");
}

Result<ProxyCommand> PlanProxy(const Env& env, const fs::path& helper_dir,
                               const std::vector<std::string>& passthrough, bool write_files) {
  Result<fs::path> etcd = FindEtcd(helper_dir, env);
  if (!etcd.ok()) return etcd.error();
  Result<ProxySettings> settings = ResolveSettings(env);
  if (!settings.ok()) return settings.error();
  const fs::path etcd_path = etcd.value();
  // Asked at most once, and only when a rule depends on it; the build's record keeps etcd from
  // running.
  std::optional<Result<std::string>> installed;
  const auto installed_version = [&]() -> Result<std::string> {
    if (!installed)
      installed = InstalledEtcdVersion(etcd_path, [&] { return EtcdBinaryVersion(etcd_path); });
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

Status ExecProxy(const ProxyCommand& command, const Env& env) {
  ExecVectors exec(command.argv, env);
  ::execve(exec.argv()[0], exec.argv(), exec.envp());
  return MakeError(ErrorKind::kIo, "cannot run " + command.argv[0] + ": " + std::strerror(errno));
}

}  // namespace bp
