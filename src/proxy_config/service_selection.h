// Choosing the one etcd service among several bindings: BPL_ETCD_PROXY_BINDING names it, or
// there must be exactly one candidate. Shared by Kubernetes bindings and VCAP_SERVICES.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace bp {

struct ServiceCandidate {
  std::vector<std::string>
      names;  // every name it answers to, its own first (binding directory, then aliases)
  bool is_etcd = false;  // typed or tagged etcd
  std::string shown;     // how messages show it; empty: its own name, quoted
};

// Returns the index of the chosen candidate, nullopt when none applies. With `selector`, the
// candidate whose own name it is, else the first that answers to it as an alias (etcd or not);
// without, the only etcd candidate. kInvalidInput when several etcd candidates exist and no
// selector picks one. `where` names the source in messages ("Kubernetes bindings",
// "VCAP_SERVICES").
Result<std::optional<size_t>> SelectService(const std::vector<ServiceCandidate>& candidates,
                                            const std::optional<std::string>& selector,
                                            const std::string& where);

}  // namespace bp
