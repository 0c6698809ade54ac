// How downloads behave, decided from the environment: timeouts, attempts, proxies and trusted
// CAs. Pure, so the rules are tested without a network.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "base/env.h"
#include "base/result.h"
#include "dependency/retry.h"

namespace bp {

struct DownloadSettings {
  std::chrono::seconds connect_timeout{30};  // BP_DOWNLOAD_CONNECT_TIMEOUT
  std::chrono::seconds stall_timeout{60};    // BP_DOWNLOAD_STALL_TIMEOUT: no byte for this long
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
// kInvalidInput names a timeout setting that is not a whole number of seconds in 1..3600.
Result<DownloadSettings> ReadDownloadSettings(const Env& env,
                                              const std::function<bool(const std::string&)>& exists);

// Returns the retry policy for `settings`, sleeping for real between attempts.
RetryPolicy RetryPolicyFrom(const DownloadSettings& settings);

// Returns the proxy for a URL scheme ("http" or "https"), or "" for a direct connection.
std::string ProxyForScheme(const DownloadSettings& settings, const std::string& scheme);

}  // namespace bp
