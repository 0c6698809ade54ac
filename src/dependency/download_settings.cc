#include "dependency/download_settings.h"

#include <thread>

#include "base/settings.h"

namespace bp {

const char* const kSystemCaBundles[] = {
    "/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu, cflinuxfs*
    "/etc/pki/tls/certs/ca-bundle.crt",                   // RHEL, Fedora
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // RHEL 7+
    "/etc/ssl/ca-bundle.pem",                             // openSUSE
    "/etc/ssl/cert.pem",                                  // Alpine
    nullptr,
};

namespace {

// The lowercase spelling wins, as in curl and Go (HTTP_PROXY is also honoured).
std::string FirstSet(const Env& env, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (std::optional<std::string> value = env.GetSetting(name)) return *value;
  }
  return "";
}

}  // namespace

Result<DownloadSettings> ReadDownloadSettings(
    const Env& env, const std::function<bool(const std::string&)>& exists) {
  DownloadSettings settings;
  Result<std::chrono::seconds> connect = Read(env, settings::kConnectTimeout);
  if (!connect.ok()) return connect.error();
  Result<std::chrono::seconds> stall = Read(env, settings::kStallTimeout);
  if (!stall.ok()) return stall.error();
  Result<std::chrono::seconds> total = Read(env, settings::kDownloadTimeout);
  if (!total.ok()) return total.error();
  Result<long> max_mb = Read(env, settings::kDownloadMaxSizeMb);
  if (!max_mb.ok()) return max_mb.error();
  settings.connect_timeout = connect.value();
  settings.stall_timeout = stall.value();
  settings.total_timeout = total.value();
  settings.max_bytes = static_cast<uint64_t>(max_mb.value()) << 20;
  settings.ca_file = FirstSet(env, {"SSL_CERT_FILE"});
  settings.ca_dir = FirstSet(env, {"SSL_CERT_DIR"});
  if (settings.ca_file.empty() && settings.ca_dir.empty()) {
    for (const char* const* bundle = kSystemCaBundles; *bundle != nullptr; ++bundle) {
      if (exists(*bundle)) {
        settings.ca_file = *bundle;
        break;
      }
    }
  }
  settings.http_proxy = FirstSet(env, {"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"});
  settings.https_proxy = FirstSet(env, {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"});
  settings.no_proxy = FirstSet(env, {"no_proxy", "NO_PROXY"});
  return settings;
}

TransferLimits TransferLimitsFrom(const DownloadSettings& settings) {
  return TransferLimits{settings.max_bytes, settings.total_timeout};
}

RetryPolicy RetryPolicyFrom(const DownloadSettings& settings) {
  RetryPolicy policy;
  policy.max_attempts = settings.max_attempts;
  policy.first_backoff = settings.first_backoff;
  policy.max_wait = settings.max_retry_after;
  policy.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
  return policy;
}

std::string ProxyForScheme(const DownloadSettings& settings, const std::string& scheme) {
  if (scheme == "https") return settings.https_proxy;
  if (scheme == "http") return settings.http_proxy;
  return "";
}

}  // namespace bp
