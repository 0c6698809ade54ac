// The proxy's own listener: who may reach it, whether it speaks TLS, and what address
// it advertises. grpc-proxy forwards every request with its own client certificate, so whoever
// reaches its port acts as the proxy: a listener beyond loopback needs TLS with client-certificate
// auth, or the operator's explicit BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN=true.
// For users: README, "Listener security".
//
// From etcd's server/etcdmain/grpc_proxy.go (v3.4.23, v3.5.x, v3.6.14): --cert-file/--key-file/
// --trusted-ca-file make the listener TLS, and a trusted CA makes it require and verify client
// certificates (client/pkg/transport/listener.go, ServerConfig). From 3.5 on the proxy also dials
// its own --advertise-client-url with that certificate (newProxyHealthClient, 5 s dial timeout)
// and exits when that fails: listener_certificate.h checks the certificate for that.
#pragma once

#include <string>
#include <vector>

#include "base/address.h"
#include "base/result.h"
#include "proxy_config/cluster_options.h"

namespace bp {

struct ListenerPlan {
  std::string listen_addr;     // the --listen-addr value
  std::string advertise_url;   // the --advertise-client-url value, always with http:// or https://
  std::string advertise_host;  // its host, for the certificate check
  std::vector<std::string> tls_flags;  // --cert-file, --key-file, --trusted-ca-file
};

// Decides the listener's flags and advertised URL (pure). Refuses a listener beyond loopback
// without TLS and a client CA unless allow_insecure_listen (then a warning is added to
// `warnings`), and a wildcard advertise address.
Result<ListenerPlan> PlanListener(const ClusterOptions& options, const ListenAddress& listen,
                                  std::vector<std::string>& warnings);

}  // namespace bp
