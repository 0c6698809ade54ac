// The launch helper `etcd-proxy`: runs as the sidecar process (CNB process type etcd-proxy, or
// Cloud Foundry's sidecar command) and becomes `etcd grpc-proxy start …` through execve, so the
// proxy keeps this PID (with BPL_ETCD_PROXY_SHUTDOWN_DELAY it stays the proxy's parent instead).
// Started as <helper layer>/exec.d/etcd-proxy+app it is the exec.d program of src/launch/exec_d.h.
// See src/launch/helper.h for the commands.
#include <chrono>
#include <iostream>
#include <thread>

#include "base/etcd_program.h"
#include "base/exit_code.h"
#include "base/linked_components.h"
#include "base/target.h"
#include "launch/exec_d.h"
#include "launch/health.h"
#include "launch/helper.h"
#include "launch/shutdown_delay.h"
#include "main/main_support.h"

extern char** environ;

namespace bp {
namespace {

int Fail(const Error& error) {
  std::cerr << "etcd-proxy: ERROR: " << OneLine(error) << "\n";
  return kExitError;
}

// The sidecar: becomes grpc-proxy, or stays its parent with BPL_ETCD_PROXY_SHUTDOWN_DELAY.
int RunProxy(const Env& env, const fs::path& self_dir,
             const std::vector<std::string>& passthrough) {
  Result<HelperPlan> plan = PlanHelper(env, self_dir, passthrough, /*write_files=*/true);
  if (!plan.ok()) return Fail(plan.error());
  const ProxyCommand& command = plan.value().command;
  for (const std::string& warning : command.warnings)
    std::cerr << "etcd-proxy: WARNING: " << warning << "\n";
  std::cerr << "etcd-proxy: " << command.summary << "\n";
  const Env proxy_env = EtcdEnvironment(env, HostTarget().arch);
  const std::optional<std::chrono::milliseconds>& delay = plan.value().settings.shutdown_delay;
  if (!delay) return Fail(ExecProxy(command, proxy_env).error());
  Result<int> code = RunWithShutdownDelay(command.argv, proxy_env, *delay);
  return code.ok() ? code.value() : Fail(code.error());
}

// `etcd-proxy health`: waits until the configured listener answers healthy.
int WaitForHealth(const Env& env, std::chrono::milliseconds timeout) {
  Result<HealthTarget> listener = HealthTargetFor(env);
  if (!listener.ok()) return Fail(listener.error());
  const HealthTarget& target = listener.value();
  Result<std::string> healthy = WaitUntilHealthy(target, timeout, [](std::chrono::milliseconds d) {
    std::this_thread::sleep_for(d);
    return Ok();
  });
  if (!healthy.ok()) return Fail(healthy.error());
  std::cout << "etcd-proxy: " << target.address << " is healthy (GET " << healthy.value() << ")\n";
  return kExitOk;
}

// `etcd-proxy print`: the command the sidecar would run, one argument per line, secrets redacted.
int PrintProxy(const Env& env, const fs::path& self_dir,
               const std::vector<std::string>& passthrough) {
  Result<HelperPlan> plan = PlanHelper(env, self_dir, passthrough, /*write_files=*/false);
  if (!plan.ok()) return Fail(plan.error());
  for (const std::string& arg : plan.value().command.argv) std::cout << RedactArgument(arg) << "\n";
  return kExitOk;
}

int Main(int argc, char** argv) {
  const Env env = Env::FromEnviron(environ);
  if (InvokedAsExecD(argv[0])) {
    Status done = RunExecD(env, ExecutableDir(argv[0]));
    return done.ok() ? kExitOk : Fail(done.error());
  }
  Result<HelperArgs> args = ParseHelperArgs(Arguments(argc, argv, 1));
  if (!args.ok()) return Fail(args.error());
  const fs::path self_dir = ExecutableDir(argv[0]);
  switch (args.value().mode) {
    case HelperMode::kVersion:
      std::cout << "etcd-proxy " << BP_VERSION << "\n";
      return kExitOk;
    case HelperMode::kHelp:
      std::cout << kHelperUsage;
      return kExitOk;
    case HelperMode::kComponents:
      std::cout << LinkedComponentsJson(LinkedComponents());
      return kExitOk;
    case HelperMode::kHealth:
      return WaitForHealth(env, args.value().timeout);
    case HelperMode::kPrint:
      return PrintProxy(env, self_dir, args.value().passthrough);
    case HelperMode::kRun:
      return RunProxy(env, self_dir, args.value().passthrough);
  }
  return kExitError;
}

}  // namespace
}  // namespace bp

int main(int argc, char** argv) {
  return bp::GuardedMain("etcd-proxy: ", [&] { return bp::Main(argc, argv); });
}
