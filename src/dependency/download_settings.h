// How downloads behave, decided from the environment: timeouts, attempts, proxies and trusted
// CAs. Pure, so the rules are tested without a network.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "base/env.h"
#include "base/result.h"
#include "base/settings.h"
#include "dependency/fetcher.h"
#include "dependency/retry.h"

namespace bp {

struct DownloadSettings {
  std::chrono::seconds connect_timeout = settings::kConnectTimeout.fallback;
  std::chrono::seconds stall_timeout = settings::kStallTimeout.fallback;  // no byte for this long
  std::chrono::seconds total_timeout = settings::kDownloadTimeout.fallback;  // one whole transfer
  uint64_t max_bytes = static_cast<uint64_t>(settings::kDownloadMaxSizeMb.fallback)
                       << 20;  // etcd releases are ~25 MB
  int max_attempts = 3;
  std::chrono::milliseconds first_backoff{500};  // doubles after every failed attempt
  std::chrono::milliseconds max_retry_after{30000};
  std::string ca_file;  // SSL_CERT_FILE, else the first system bundle that exists
  std::string ca_dir;   // SSL_CERT_DIR
  std::string http_proxy;
  std::string https_proxy;
  std::string no_proxy;
  std::string user_agent = "etcd-proxy-buildpack/" BP_VERSION;
};

// The CA bundles of Debian/Ubuntu, RHEL/Fedora, openSUSE and Alpine images, in probing order.
extern const char* const kSystemCaBundles[];

// Returns the settings for `env`; `exists` answers whether a file exists (a seam for tests).
// kInvalidInput names a setting out of range: the connect and stall timeouts take 1..3600 s,
// BP_DOWNLOAD_TIMEOUT 1..86400 s, BP_DOWNLOAD_MAX_SIZE_MB 1..65536.
Result<DownloadSettings> ReadDownloadSettings(
    const Env& env, const std::function<bool(const std::string&)>& exists);

// Returns the bounds every transfer made with `settings` keeps.
TransferLimits TransferLimitsFrom(const DownloadSettings& settings);

// Returns the retry policy for `settings`, sleeping for real between attempts.
RetryPolicy RetryPolicyFrom(const DownloadSettings& settings);

// Returns the proxy for a URL scheme ("http" or "https"), or "" for a direct connection.
std::string ProxyForScheme(const DownloadSettings& settings, const std::string& scheme);

}  // namespace bp
