// The launch helper `etcd-proxy`, the same executable in CNB images and Cloud Foundry
// containers:
//   etcd-proxy [grpc-proxy flags…]     resolve the configuration, then exec etcd grpc-proxy start
//   etcd-proxy print [flags…]          print the exact command, one argument per line
//   etcd-proxy health [--timeout S]    exit 0 once the proxy answers healthy
//   etcd-proxy components              the libraries linked into it, as JSON (for the helper
//   layer's SBOM) etcd-proxy --version | --help
// What to run is decided by proxy_config/proxy_plan.h; this file finds etcd, parses the command
// line and execs. Nothing here prints a secret.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/result.h"
#include "proxy_config/proxy_plan.h"
#include "proxy_config/proxy_settings.h"

namespace bp {

namespace fs = std::filesystem;

enum class HelperMode { kRun, kPrint, kHealth, kVersion, kHelp, kComponents };

struct HelperArgs {
  HelperMode mode = HelperMode::kRun;
  std::vector<std::string> passthrough;      // for kRun and kPrint
  std::chrono::milliseconds timeout{60000};  // for kHealth
};

Result<HelperArgs> ParseHelperArgs(const std::vector<std::string>& args);

// Plans the proxy (PlanProxy) from `settings` for the etcd beside the helper (Cloud Foundry's
// deps/<idx>/bin), else on PATH, asking that etcd for its version when the build left no record.
Result<ProxyCommand> PlanProxyForHelper(const Env& env, const LaunchSettings& settings,
                                        const fs::path& helper_dir,
                                        const std::vector<std::string>& passthrough,
                                        bool write_files);

// What `etcd-proxy` runs and `etcd-proxy print` prints: the launch settings, read once
// (ReadLaunchSettings), and the command planned from them.
struct HelperPlan {
  LaunchSettings settings;  // settings.shutdown_delay says how the sidecar runs the command
  ProxyCommand command;
};
Result<HelperPlan> PlanHelper(const Env& env, const fs::path& helper_dir,
                              const std::vector<std::string>& passthrough, bool write_files);

// Replaces this process with the proxy (same PID); returns only when exec fails.
Status ExecProxy(const ProxyCommand& command, const Env& env);

extern const char kHelperUsage[];

}  // namespace bp
