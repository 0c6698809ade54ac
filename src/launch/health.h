// `etcd-proxy health`: is the proxy serving? The proxy opens its port before any backend
// answers, so an open port proves nothing. GET /proxy/health (etcd 3.5+: a read and a watch
// through the proxy) makes the proxy ask etcd; a proxy that answers it with 404 is older
// (3.4) and is asked GET /health instead. Only {"health":"true"} counts. Asking the proxy
// rather than the installed etcd's version keeps the probe right when it checks a proxy of
// another image (a manifest sidecar, another container of the pod).
//
// A listener with TLS (BPL_ETCD_PROXY_LISTEN_CERT) is probed over https, presenting the
// listener's own certificate as the client certificate (it must allow clientAuth where the
// listener demands client certificates). The server must present that same certificate: it is
// the only trust anchor, so whatever else answers on the port (a self-signed impostor, another
// proxy) is not taken for healthy. The host name is not checked: the probe dials loopback, which
// the certificate need not name. The key is never decrypted and nothing ever prompts for a
// passphrase: an encrypted key ends the probe at once with the setting's name.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "base/env.h"
#include "base/result.h"
#include "proxy_config/proxy_settings.h"

namespace bp {

// Where and how to reach a proxy's listener.
struct HealthTarget {
  std::string address;  // host:port
  bool https = false;
  std::string
      client_cert;  // files, for https; the certificate is also the one the server must present
  std::string client_key;
};

// Returns the target for the listener `settings` configure (BPL_ETCD_PROXY_LISTEN_ADDR, a
// wildcard host made loopback, and _LISTEN_CERT, _LISTEN_KEY).
HealthTarget HealthTargetOf(const LaunchSettings& settings);

// Returns the target `etcd-proxy health` probes: the launch settings read (ReadLaunchSettings),
// then HealthTargetOf; kInvalidInput with the reader's error when a setting is malformed.
Result<HealthTarget> HealthTargetFor(const Env& env);

// Returns Ok when a health endpoint's reply means healthy, else why not (naming `url`).
Status HealthVerdict(const std::string& url, long http_status, const std::string& body);

// One probe with a deadline. Returns the path that answered healthy ("/proxy/health" or
// "/health"); the error says why the proxy is not healthy.
Result<std::string> ProbeHealth(const HealthTarget& target, std::chrono::milliseconds timeout);

// Returns how long to wait between health probes of a starting proxy, `elapsed` after the first:
// often at first (docs/performance.md: the app starts under 100 ms after the proxy can answer;
// grpc-proxy is usually healthy within tens of milliseconds), then less often.
std::chrono::milliseconds HealthProbePause(std::chrono::milliseconds elapsed);

// Returns Ok when the probe can use the client key of `target` (none, or an unencrypted PEM key);
// otherwise the error names BPL_ETCD_PROXY_LISTEN_KEY and says what is wrong with it.
Status CheckProbeKey(const HealthTarget& target);

// Probes until healthy or `timeout` has passed, calling `pause` with how long to wait
// (HealthProbePause) between probes. Returns the path that answered healthy; kUnavailable when
// the proxy is not healthy in time; CheckProbeKey's error at once. An error `pause` returns ends
// the wait with that error (exec.d re-ensures its supervisor there).
Result<std::string> WaitUntilHealthy(const HealthTarget& target, std::chrono::milliseconds timeout,
                                     const std::function<Status(std::chrono::milliseconds)>& pause);

}  // namespace bp
