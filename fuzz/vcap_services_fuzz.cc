// Fuzzes Cloud Foundry's VCAP_SERVICES as proxy settings (proxy_config/vcap_services.h), then the
// command the launch helper would run with them (proxy_config/proxy_command.h). PEM text from the
// credentials would be written to private files; here the TLS settings get dummy paths.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_util.h"
#include "proxy_checks.h"
#include "proxy_config/vcap_services.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = bp_fuzz::AsText(data, size);
  for (const std::optional<std::string>& selector :
       {std::optional<std::string>(), std::optional<std::string>("my-etcd")}) {
    bp::Result<std::optional<bp::ProxySettings>> settings =
        bp::SettingsFromVcapServices(text, selector);
    if (!settings.ok()) {
      BP_FUZZ_CHECK(settings.error().kind == bp::ErrorKind::kInvalidInput, "not kInvalidInput");
      BP_FUZZ_CHECK(!settings.error().message.empty(), "an error without a message");
      continue;
    }
    if (!settings.value()) continue;
    bp::ProxySettings s = *settings.value();
    BP_FUZZ_CHECK(!s.sources.empty(), "settings without a source");
    for (std::optional<bp::TlsFile>* tls : {&s.cacert, &s.cert, &s.key}) {
      if (!*tls) continue;
      BP_FUZZ_CHECK((*tls)->path.empty() && !(*tls)->pem.empty(),
                    "VCAP_SERVICES TLS must be PEM text");
      (*tls)->path = "/fuzz/tls/" + std::to_string(tls - &s.cacert) + ".pem";
    }
    bp_fuzz::CheckProxyCommand(s, {"--max-send-bytes=4194304"});
  }
  return 0;
}
