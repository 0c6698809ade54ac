// Which etcd client libraries are known to behave differently through etcd's grpc-proxy than
// against etcd itself (README "What grpc-proxy can and cannot do"; the client matrix in
// integration/test_client_matrix.py measures them). The build names such a client once, so the
// app's developers learn it before a call fails in production.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "manifests/etcd_clients.h"

namespace bp {

// Returns one line naming the client, the calls grpc-proxy breaks for it and where the README
// explains the workaround; nullopt for a client with no known difference. `client` is what
// EtcdClientIn found in a manifest of `kind` (the kind tells Python's etcd3 from Node's). Pure.
std::optional<std::string> ProxyCaveatFor(ManifestKind kind, std::string_view client);

}  // namespace bp
