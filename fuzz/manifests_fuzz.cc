// Fuzzes the dependency-manifest readers detect uses (manifests/etcd_clients.h). The first byte
// picks the kind of manifest, the rest is its text; the first line is also read as a file name,
// and when ManifestKindOf recognises it the text is read as that kind too, as detect would. Any
// input is acceptable; what comes back must be one of the recognised clients.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "manifests/etcd_clients.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::set<std::string> kClients = {"etcd3",
                                                 "aetcd",
                                                 "etcd3gw",
                                                 "go.etcd.io/etcd/client/v3",
                                                 "go.etcd.io/etcd",
                                                 "github.com/coreos/etcd",
                                                 "io.etcd:jetcd-core",
                                                 "etcdv3",
                                                 "dotnet-etcd",
                                                 "etcd-client"};
  if (size == 0) return 0;
  const auto picked =
      static_cast<bp::ManifestKind>(data[0] % (static_cast<int>(bp::ManifestKind::kCargoToml) + 1));
  const std::string_view text = bp_fuzz::AsText(data + 1, size - 1);
  std::vector<bp::ManifestKind> kinds = {picked};
  if (std::optional<bp::ManifestKind> named = bp::ManifestKindOf(text.substr(0, text.find('\n'))))
    kinds.push_back(*named);
  for (const bp::ManifestKind kind : kinds) {
    const std::optional<std::string> client = bp::EtcdClientIn(kind, text);
    if (client) BP_FUZZ_CHECK(kClients.count(*client) == 1, "not a recognised client: " + *client);
  }
  return 0;
}
