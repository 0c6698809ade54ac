#include "dependency/download_settings.h"

#include <thread>

#include "base/strings.h"

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

Result<std::chrono::seconds> ReadSeconds(const Env& env, const char* name, std::chrono::seconds fallback) {
  const std::optional<std::string> text = env.GetSetting(name);
  if (!text) return fallback;
  const std::optional<long> value = ParseCount(*text, 3600);
  if (!value || *value < 1) {
    return MakeError(ErrorKind::kInvalidInput, std::string(name) + "=\"" + *text + "\" is not a number of seconds",
                     std::string("set ") + name + " to a whole number from 1 to 3600");
  }
  return std::chrono::seconds(*value);
}

// The lowercase spelling wins, as in curl and Go (HTTP_PROXY is also honoured).
std::string FirstSet(const Env& env, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (std::optional<std::string> value = env.GetSetting(name)) return *value;
  }
  return "";
}

}  // namespace

Result<DownloadSettings> ReadDownloadSettings(const Env& env,
                                              const std::function<bool(const std::string&)>& exists) {
  DownloadSettings settings;
  Result<std::chrono::seconds> connect = ReadSeconds(env, "BP_DOWNLOAD_CONNECT_TIMEOUT", settings.connect_timeout);
  if (!connect.ok()) return connect.error();
  Result<std::chrono::seconds> stall = ReadSeconds(env, "BP_DOWNLOAD_STALL_TIMEOUT", settings.stall_timeout);
  if (!stall.ok()) return stall.error();
  settings.connect_timeout = connect.value();
  settings.stall_timeout = stall.value();
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
