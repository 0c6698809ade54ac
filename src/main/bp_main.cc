// The buildpack executable, installed as bin/detect and bin/build; argv[0] picks the phase.
// bin/supply (a shell shim) runs it as `build cf-supply BUILD CACHE DEPS IDX`.
// This file only wires effects (environment, network, clock, streams) to the phases and maps
// their outcomes to exit codes.
#include <chrono>
#include <iostream>
#include <system_error>
#include <thread>

#include "base/exit_code.h"
#include "cf/supply.h"
#include "cnb/build.h"
#include "cnb/detect.h"
#include "dependency/curl_fetcher.h"
#include "main/main_support.h"

extern char** environ;

namespace bp {
namespace {

// Reports an error that ends a phase before it has a logger.
int Fail(const Error& error) {
  std::cerr << "ERROR: " << OneLine(error) << "\n";
  return kExitError;
}

int RunDetect(const Env& env, const std::vector<std::string>& args, const fs::path& self_dir) {
  // Declining Cloud Foundry's auto-detection is the expected outcome, not an error: no output.
  if (IsCloudFoundryDetect(env, args)) return kExitError;
  std::error_code ec;
  const fs::path app_dir = fs::current_path(ec);  // empty on error: then no manifest is found
  Result<DetectContext> context = DetectContextFrom(env, args, self_dir, app_dir);
  if (!context.ok()) return Fail(context.error());
  Result<DetectOutcome> outcome = Detect(context.value());
  if (!outcome.ok()) return Fail(outcome.error());
  if (!outcome.value().pass) {
    std::cout << "etcd-proxy: not contributing: " << outcome.value().reason << "\n";
    return kExitDetectFail;
  }
  std::cout << "etcd-proxy: contributing etcd: " << outcome.value().reason << "\n";
  return kExitOk;
}

// Runs `phase` with the network, clocks and retry policy that `env` configures.
template <typename Phase>
int RunWithServices(const Env& env, Logger& log, Phase phase) {
  Result<DownloadSettings> settings = ReadDownloadSettings(env, RegularFileExists);
  if (!settings.ok()) {
    log.Failure(settings.error());
    return kExitError;
  }
  CurlFetcher fetcher(settings.value());
  Services services{fetcher, log, [] { return std::chrono::steady_clock::now(); },
                    [] { return std::chrono::system_clock::now(); },
                    RetryPolicyFrom(settings.value())};
  Status status = phase(services);
  if (!status.ok()) {
    log.Failure(status.error());
    return kExitError;
  }
  return kExitOk;
}

int RunBuild(const Env& env, const std::vector<std::string>& args, const fs::path& self_dir) {
  std::error_code ec;
  const fs::path app_dir = fs::current_path(ec);  // empty on error: then no client note
  Result<BuildContext> context = BuildContextFrom(env, args, self_dir, app_dir);
  if (!context.ok()) return Fail(context.error());
  PaketoLogger log(std::cout, std::cerr, LogLevelFrom(context.value().env));
  return RunWithServices(context.value().env, log,
                         [&](Services& services) { return Build(context.value(), services); });
}

int RunSupply(const Env& env, const std::vector<std::string>& args, const fs::path& self_dir) {
  CfLogger log(std::cout, LogLevelFrom(env));
  Result<SupplyContext> context = SupplyContextFrom(env, args, self_dir);
  if (!context.ok()) {
    log.Failure(context.error());
    return kExitError;
  }
  return RunWithServices(env, log,
                         [&](Services& services) { return Supply(context.value(), services); });
}

int Main(int argc, char** argv) {
  const Env env = Env::FromEnviron(environ);
  const std::string phase = InvokedAs(argv[0]);
  const fs::path self_dir = ExecutableDir(argv[0]);
  if (phase == "detect") return RunDetect(env, Arguments(argc, argv, 1), self_dir);
  if (phase == "build" && argc > 1 && std::string(argv[1]) == "cf-supply") {
    return RunSupply(env, Arguments(argc, argv, 2), self_dir);
  }
  if (phase == "build") return RunBuild(env, Arguments(argc, argv, 1), self_dir);
  std::cerr << "ERROR: unknown phase \"" << phase
            << "\"; install this executable as bin/detect or bin/build\n";
  return kExitError;
}

}  // namespace
}  // namespace bp

int main(int argc, char** argv) {
  return bp::GuardedMain("", [&] { return bp::Main(argc, argv); });
}
