// Checks the TLS material the way etcd's grpc-proxy will, so a mistake stops the helper with
// the setting's name instead of crash-looping the sidecar. The rules, from etcd's
// server/etcdmain/grpc_proxy.go (newClientCfg → newTLS(ca, cert, key, requireEmptyCN=true)) and
// client/pkg/transport/listener.go (TLSInfo.ClientConfig) at v3.4.23, v3.5.33 and v3.6.14:
//   - --cert and --key come together, and the key must belong to the certificate;
//   - the first PEM block of --cert must be a certificate whose subject CN is empty
//     ("cert has non empty Common Name", etcd-io/etcd#11970);
//   - from 3.5 on, --cacert without --cert/--key fails ("open : no such file or directory"):
//     the empty-CN check reads the (empty) certificate path whenever any TLS flag is set.
#pragma once

#include <functional>
#include <string>

#include "base/result.h"
#include "proxy_config/proxy_settings.h"

namespace bp {

// Returns the version of the etcd that will run ("3.6.14"); asked only when a rule depends on it.
using EtcdVersionProbe = std::function<Result<std::string>()>;

// Checks cacert/cert/key in `settings` (files or PEM text). Errors name the setting at fault.
Status CheckTlsMaterial(const ProxySettings& settings, const EtcdVersionProbe& etcd_version);

}  // namespace bp
