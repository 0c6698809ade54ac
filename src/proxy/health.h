// `etcd-proxy health`: is the proxy serving? The proxy opens its port before any backend
// answers, so an open port proves nothing. GET /proxy/health (etcd 3.5+: a read and a watch
// through the proxy) makes the proxy ask etcd; a proxy that answers it with 404 is older
// (3.4) and is asked GET /health instead. Only {"health":"true"} counts. Asking the proxy
// rather than the installed etcd's version keeps the probe right when it checks a proxy of
// another image (a manifest sidecar, another container of the pod).
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "base/result.h"

namespace bp {

// Returns the host:port to probe for a listen address (a wildcard host becomes loopback).
std::string ProbeAddress(const std::string& listen_addr);

// Returns Ok when a health endpoint's reply means healthy, else why not (naming `url`).
Status HealthVerdict(const std::string& url, long http_status, const std::string& body);

// One probe with a deadline. Returns the path that answered healthy ("/proxy/health" or
// "/health"); the error says why the proxy is not healthy.
Result<std::string> ProbeHealth(const std::string& address, std::chrono::milliseconds timeout);

// Probes until healthy or `timeout` has passed; `sleep` is the wait of `pause` between probes.
// Returns the path that answered healthy.
Result<std::string> WaitUntilHealthy(const std::string& address, std::chrono::milliseconds timeout,
                                     const std::function<void(std::chrono::milliseconds)>& sleep,
                                     std::chrono::milliseconds pause = std::chrono::milliseconds(200));

}  // namespace bp
