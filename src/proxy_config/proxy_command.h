// Pure: resolved settings → the exact `etcd grpc-proxy start …` argv. Also the refusals that
// need no filesystem: no endpoints (and no DNS SRV discovery), an endpoint that is the proxy
// itself, TLS with http:// endpoints, malformed addresses, an insecure listener beyond loopback.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "proxy_config/listener_security.h"
#include "proxy_config/proxy_settings.h"

namespace bp {

struct ProxyCommand {
  std::vector<std::string> argv;      // argv[0] is the etcd binary
  std::vector<std::string> warnings;  // to print before starting
  std::string summary;                // one line for the log, no secrets
  ListenerPlan listener;              // what the listener advertises (for the certificate check)
};

// `settings` must have file paths for all TLS material (see pem_files.h). `passthrough` is
// appended as given (flags the helper does not manage, e.g. --max-send-bytes=4194304); one that
// the helper sets or checks is refused (passthrough_flags.h).
Result<ProxyCommand> AssembleProxyCommand(const ProxySettings& settings, const std::string& etcd,
                                          const std::string& default_data_dir,
                                          const std::vector<std::string>& passthrough);

// Returns `arg` fit for output: each comma-separated item that may hold credentials goes
// through RedactUrl ("--endpoints=https://u:p@a,b" → "--endpoints=https://***@a,b"), and control
// characters are escaped, so a newline cannot pose as another flag.
std::string RedactArgument(const std::string& arg);

}  // namespace bp
