#include "launch/health.h"

#include <curl/curl.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/address.h"
#include "base/clock.h"
#include "base/curl_global.h"
#include "base/strings.h"
#include "proxy_config/listener_certificate.h"

namespace bp {

namespace {

size_t Collect(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() < 65536) body->append(data, size * count);
  return size * count;
}

}  // namespace

Status HealthVerdict(const std::string& url, long http_status, const std::string& body) {
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  const bool healthy = doc.is_object() && doc.contains("health") && doc["health"] == "true";
  if (http_status == 200 && healthy) return Ok();
  return MakeError(ErrorKind::kUnavailable,
                   url + " answered HTTP " + std::to_string(http_status) + " " +
                       EscapeControl(body.substr(0, body.find('\n')).substr(0, 200)));
}

namespace {

struct Reply {
  long status = 0;
  std::string body;
};

Result<Reply> Get(const HealthTarget& target, const std::string& url,
                  std::chrono::milliseconds timeout) {
  InitCurlOnce();
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return MakeError(ErrorKind::kInternal, "curl_easy_init failed");
  Reply reply;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // loopback: never through a proxy
  // grpc-proxy's port hands HTTP/2 to its gRPC server (which answers 415) and HTTP/1 to /health:
  // a libcurl built with nghttp2 would otherwise negotiate h2 over TLS.
  curl_easy_setopt(c, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long>(1, timeout.count())));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  if (target.https) {
    // The listener's own certificate is the only anchor (curl verifies with OpenSSL's partial
    // chains, so a leaf alone anchors); loopback need not be among its names, see health.h.
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(c, CURLOPT_CAINFO, target.client_cert.c_str());
    curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);
    curl_easy_setopt(c, CURLOPT_SSLCERT, target.client_cert.c_str());
    if (!target.client_key.empty()) curl_easy_setopt(c, CURLOPT_SSLKEY, target.client_key.c_str());
    curl_easy_setopt(c, CURLOPT_KEYPASSWD, "");  // an encrypted key fails instead of prompting
  }
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK)
    return MakeError(ErrorKind::kUnavailable, url + ": " + curl_easy_strerror(code));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

}  // namespace

HealthTarget HealthTargetOf(const LaunchSettings& settings) {
  HealthTarget target;
  // The listen address the proxy's --listen-addr gets, so the probe, the app's endpoints and the
  // proxy are one checked address.
  target.address = LocalHostPort(ListenAddressOf(settings.proxy).address);
  const ClusterOptions& listener = settings.proxy.cluster;
  if (listener.listen_cert) {
    target.https = true;
    target.client_cert = *listener.listen_cert;
    target.client_key = listener.listen_key.value_or("");
  }
  return target;
}

Result<HealthTarget> HealthTargetFor(const Env& env) {
  Result<LaunchSettings> settings = ReadLaunchSettings(env);
  if (!settings.ok()) return settings.error();
  return HealthTargetOf(settings.value());
}

Result<std::string> ProbeHealth(const HealthTarget& target, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::string base = (target.https ? "https://" : "http://") + target.address;
  std::string path = "/proxy/health";
  std::string url = base + path;
  Result<Reply> reply = Get(target, url, timeout);
  if (reply.ok() && reply.value().status == 404) {  // etcd before 3.5 has no /proxy/health
    path = "/health";
    url = base + path;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    reply = Get(target, url, std::max(left, std::chrono::milliseconds(1)));
  }
  if (!reply.ok()) return reply.error();
  Status verdict = HealthVerdict(url, reply.value().status, reply.value().body);
  if (!verdict.ok()) return verdict.error();
  return path;
}

std::chrono::milliseconds HealthProbePause(std::chrono::milliseconds elapsed) {
  return elapsed < std::chrono::milliseconds(500) ? std::chrono::milliseconds(5)
                                                  : std::chrono::milliseconds(50);
}

Status CheckProbeKey(const HealthTarget& target) {
  if (!target.https || target.client_key.empty()) return Ok();
  Result<KeyPtr> key = ReadListenerKey(target.client_key);
  if (!key.ok()) return key.error();
  return Ok();
}

Result<std::string> WaitUntilHealthy(
    const HealthTarget& target, std::chrono::milliseconds timeout,
    const std::function<Status(std::chrono::milliseconds)>& pause) {
  Status usable = CheckProbeKey(target);
  if (!usable.ok()) return usable.error();
  using std::chrono::milliseconds;
  using SteadyClock = std::chrono::steady_clock;
  // A probe the deadline leaves less than this mostly fails by its own timeout; its failure must
  // not hide the proxy's last real answer (HTTP 503 and its reason) in the message.
  constexpr milliseconds kShortestProbe(100);
  const SteadyClock::time_point started = SteadyClock::now();
  const SteadyClock::time_point deadline = started + timeout;
  const auto not_healthy = [&](const Error& last) {
    return MakeError(ErrorKind::kUnavailable,
                     "the etcd proxy at " + target.address + " is not healthy after " +
                         FormatDuration(timeout) + ": " + last.message,
                     "check that the proxy runs and that its etcd endpoints answer");
  };
  std::optional<Error> last;
  while (true) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now());
    Result<std::string> probe =
        ProbeHealth(target, std::min<milliseconds>(left, std::chrono::seconds(3)));
    if (probe.ok()) return probe;
    if (!last || left >= kShortestProbe) last = probe.error();
    const milliseconds wait =
        HealthProbePause(std::chrono::duration_cast<milliseconds>(SteadyClock::now() - started));
    if (SteadyClock::now() + wait >= deadline) return not_healthy(*last);
    Status paused = pause(wait);
    if (!paused.ok()) return paused.error();
  }
}

}  // namespace bp
