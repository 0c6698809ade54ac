// Arguments after `etcd-proxy` go to grpc-proxy as given, for flags the helper does not manage
// (e.g. --max-send-bytes). A pass-through flag that the helper sets from a setting, or whose
// setting it checks (the listen address beyond loopback, endpoints that are the proxy itself,
// TLS material), would override or dodge that check, since grpc-proxy takes the last value:
// such an argument is refused, naming the setting to use instead.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace bp {

// Refuses the first argument of `passthrough` that names a flag among `helper_flags` (the flags
// of the command the helper assembled) or one the helper always checks.
Status CheckPassthrough(const std::vector<std::string>& helper_flags,
                        const std::vector<std::string>& passthrough);

}  // namespace bp
