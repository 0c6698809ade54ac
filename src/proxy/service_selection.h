// Choosing the one etcd service among several bindings: BPL_ETCD_PROXY_BINDING names it, or
// there must be exactly one candidate. Shared by Kubernetes bindings and VCAP_SERVICES.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace bp {

struct ServiceCandidate {
  std::vector<std::string> names;  // every name it answers to (binding name, instance name, …)
  bool is_etcd = false;            // typed or tagged etcd
};

// Returns the index of the chosen candidate, nullopt when none applies. With `selector`, the
// candidate that answers to that name (etcd or not); without, the only etcd candidate.
// kInvalidInput when several etcd candidates exist and no selector picks one. `where` names the
// source in messages ("Kubernetes bindings", "VCAP_SERVICES").
Result<std::optional<size_t>> SelectService(const std::vector<ServiceCandidate>& candidates,
                                            const std::optional<std::string>& selector, const std::string& where);

}  // namespace bp
