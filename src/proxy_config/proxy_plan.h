// The launch side's configuration pipeline, start to end: which `etcd grpc-proxy start` command
// the settings ask for.
//
//   sources      BPL_ETCD_PROXY_* (proxy_settings.h, read once by the caller) > a service binding
//   of type etcd
//                (etcd_binding.h) > Cloud Foundry's VCAP_SERVICES (vcap_services.h)
//   overlay      field by field, the first source that sets a field wins (Overlay)
//   checks       settings the installed etcd predates (version_guard.h), the client TLS files
//                (tls_check.h), the listener and its certificate (listener_security.h,
//                listener_certificate.h)
//   PEM files    certificates given inline by a binding become files (pem_files.h)
//   argv         the command, its warnings and a one-line summary (proxy_command.h)
//
// It decides and never runs anything: the installed etcd's version comes from the build's record
// beside it or from the function its caller supplies (src/launch/ runs `etcd --version`).
// Nothing here prints a secret.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/result.h"
#include "proxy_config/proxy_command.h"
#include "proxy_config/proxy_settings.h"

namespace bp {

namespace fs = std::filesystem;

// The etcd the proxy will run.
struct InstalledEtcd {
  fs::path binary;
  // Asked for the version only when a rule depends on it and the build left no record.
  std::function<Result<std::string>()> report_version;
};

// Resolves, checks and assembles the proxy command from `settings` (ReadLaunchSettings) and the
// other sources `env` holds (SERVICE_BINDING_ROOT, VCAP_SERVICES; TMPDIR and Go's SSL_CERT_*
// for the checks). PEM files are written only when `write_files` is true (`print` shows the same
// paths without touching the disk).
Result<ProxyCommand> PlanProxy(const Env& env, const LaunchSettings& settings,
                               const InstalledEtcd& etcd,
                               const std::vector<std::string>& passthrough, bool write_files);

}  // namespace bp
