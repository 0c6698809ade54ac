// `etcd-proxy health`: is the proxy serving? The proxy opens its port before any backend
// answers, so an open port proves nothing; GET /health on the listen address makes the proxy
// ask etcd, and only {"health":"true"} counts.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "base/result.h"

namespace bp {

// Returns the host:port to probe for a listen address (a wildcard host becomes loopback).
std::string ProbeAddress(const std::string& listen_addr);

// One probe with a deadline; the error says why the proxy is not healthy.
Status ProbeHealth(const std::string& address, std::chrono::milliseconds timeout);

// Probes until healthy or `timeout` has passed; `sleep` is the wait between probes.
Status WaitUntilHealthy(const std::string& address, std::chrono::milliseconds timeout,
                        const std::function<void(std::chrono::milliseconds)>& sleep);

}  // namespace bp
