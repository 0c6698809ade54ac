#include "proxy_config/service_selection.h"

#include <algorithm>

#include "base/strings.h"

namespace bp {

Result<std::optional<size_t>> SelectService(const std::vector<ServiceCandidate>& candidates,
                                            const std::optional<std::string>& selector,
                                            const std::string& where) {
  if (selector) {
    // A candidate's own name (the binding's directory, the service's name) first: another's
    // alias (a `name` entry, an instance name) must not win over what the selector literally names.
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (candidates[i].names.front() == *selector) return std::optional<size_t>(i);
    }
    for (size_t i = 0; i < candidates.size(); ++i) {
      const auto& names = candidates[i].names;
      if (std::find(names.begin(), names.end(), *selector) != names.end())
        return std::optional<size_t>(i);
    }
    return std::optional<size_t>();
  }
  std::vector<size_t> etcd;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].is_etcd) etcd.push_back(i);
  }
  if (etcd.empty()) return std::optional<size_t>();
  if (etcd.size() > 1) {
    std::vector<std::string> names;
    for (size_t i : etcd)
      names.push_back(candidates[i].shown.empty()
                          ? "'" + EscapeControl(candidates[i].names.front()) + "'"
                          : candidates[i].shown);
    return MakeError(ErrorKind::kInvalidInput,
                     where + " has " + std::to_string(etcd.size()) + " etcd services (" +
                         Join(names, ", ") + ")",
                     "set BPL_ETCD_PROXY_BINDING to the name of the one to use");
  }
  return std::optional<size_t>(etcd.front());
}

}  // namespace bp
