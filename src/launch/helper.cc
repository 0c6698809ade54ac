#include "launch/helper.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "base/etcd_program.h"
#include "base/strings.h"
#include "launch/child_process.h"

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

// Returns the etcd binary beside the helper, else on PATH.
Result<fs::path> FindEtcd(const fs::path& helper_dir, const Env& env) {
  if (IsExecutableFile(helper_dir / "etcd")) return helper_dir / "etcd";
  for (const std::string& dir : SplitList(env.GetOr("PATH", ""), ':')) {
    if (IsExecutableFile(fs::path(dir) / "etcd")) return fs::path(dir) / "etcd";
  }
  return MakeError(ErrorKind::kNotFound, "cannot find the etcd binary beside etcd-proxy or on PATH",
                   "etcd-proxy runs in images built with the etcd-proxy buildpack, where the etcd "
                   "layer is on PATH");
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

Result<ProxyCommand> PlanProxyForHelper(const Env& env, const LaunchSettings& settings,
                                        const fs::path& helper_dir,
                                        const std::vector<std::string>& passthrough,
                                        bool write_files) {
  Result<fs::path> etcd = FindEtcd(helper_dir, env);
  if (!etcd.ok()) return etcd.error();
  const fs::path binary = etcd.value();
  return PlanProxy(env, settings,
                   InstalledEtcd{binary, [binary] { return EtcdBinaryVersion(binary); }},
                   passthrough, write_files);
}

Result<HelperPlan> PlanHelper(const Env& env, const fs::path& helper_dir,
                              const std::vector<std::string>& passthrough, bool write_files) {
  Result<LaunchSettings> settings = ReadLaunchSettings(env);
  if (!settings.ok()) return settings.error();
  Result<ProxyCommand> command =
      PlanProxyForHelper(env, settings.value(), helper_dir, passthrough, write_files);
  if (!command.ok()) return command.error();
  return HelperPlan{std::move(settings).value(), std::move(command).value()};
}

Status ExecProxy(const ProxyCommand& command, const Env& env) {
  ExecVectors exec(command.argv, env);
  ::execve(exec.argv()[0], exec.argv(), exec.envp());
  return MakeError(ErrorKind::kIo, "cannot run " + command.argv[0] + ": " + std::strerror(errno));
}

}  // namespace bp
