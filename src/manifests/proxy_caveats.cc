#include "manifests/proxy_caveats.h"

namespace bp {

namespace {

bool IsPythonManifest(ManifestKind kind) {
  return kind == ManifestKind::kRequirementsTxt || kind == ManifestKind::kPyprojectToml ||
         kind == ManifestKind::kPipfile || kind == ManifestKind::kSetupCfg;
}

}  // namespace

std::optional<std::string> ProxyCaveatFor(ManifestKind kind, std::string_view client) {
  // python-etcd3 refreshes a lease with a keep-alive stream it half-closes after one request;
  // grpc-proxy (server/proxy/grpcproxy/lease.go) then cancels the stream before relaying etcd's
  // answer (etcd-io/etcd#9751), so every one-shot refresh fails. Node etcd3, Go clientv3 and
  // etcdctl wait for the answer before closing and are not affected.
  if (IsPythonManifest(kind) && client == "etcd3") {
    return "python-etcd3: Lease.refresh and Lock.refresh fail through grpc-proxy (\"context "
           "canceled\"); "
           "see the README section \"What grpc-proxy can and cannot do\" for the workaround";
  }
  return std::nullopt;
}

}  // namespace bp
