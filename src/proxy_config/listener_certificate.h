// The TLS files of the proxy's own listener (BPL_ETCD_PROXY_LISTEN_CERT, _LISTEN_KEY and
// _LISTEN_CLIENT_CA), checked the way etcd's grpc-proxy will use them, so a listener that cannot
// serve stops the helper with one line instead of crash-looping the sidecar or the embedded
// supervisor while the app runs without a proxy.
//
// Every version loads the pair with Go's tls.X509KeyPair at start (client/pkg/transport
// listener.go, baseConfig) and exits when the key is empty, encrypted or not the certificate's.
// From 3.5 on (FollowsEtcd35ProxyRules) grpc-proxy also dials its own --advertise-client-url with
// the listener's TLSInfo (server/etcdmain/grpc_proxy.go, newProxyHealthClient → ClientConfig):
//   - as the client it verifies the listener certificate against --trusted-ca-file, or against
//     Go's system roots when there is none, for the advertised host (subjectAltNames only) and for
//     serverAuth, within its validity;
//   - with --trusted-ca-file the listener demands a client certificate (ServerConfig) and gets
//     the same listener certificate, which it verifies against that CA for clientAuth.
// 3.4 does not dial itself: what its clients would notice (host, validity) is a warning there.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/result.h"
#include "proxy_config/cluster_options.h"
#include "proxy_config/x509_pem.h"

namespace bp {

// Checks the listener's TLS files in `options` (none: Ok). Errors name the setting at fault and
// never quote a file's content. Problems only the self-dial meets are refused when `installed`
// (asked only then) is 3.5 or later; on 3.4 those clients would meet are added to `warnings`.
// `env` gives SSL_CERT_FILE/SSL_CERT_DIR, which Go's system roots honour.
Status CheckListenerCertificate(const ClusterOptions& options, const std::string& advertise_host,
                                const Env& env, std::vector<std::string>& warnings,
                                const std::function<Result<std::string>()>& installed);

// Returns the listener's private key from `path` (BPL_ETCD_PROXY_LISTEN_KEY); kInvalidInput naming
// the setting and the file, never its content, when it cannot be read or holds no usable
// (unencrypted PEM) key. The health probe checks its client key with it too.
Result<KeyPtr> ReadListenerKey(const std::string& path);

}  // namespace bp
