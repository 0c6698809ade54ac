// Cloud Foundry's VCAP_SERVICES (or the file VCAP_SERVICES_FILE_PATH names) as proxy settings.
// The etcd service is the one whose tags contain "etcd", else whose label does; credentials:
// `endpoints` (array or comma string) or `uri`/`uris`, PEM text in `ca`/`ca_cert`,
// `cert`/`client_cert`, `key`/`client_key`, and `namespace`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/env.h"
#include "base/result.h"
#include "proxy_config/proxy_settings.h"

namespace bp {

// Returns the settings of the selected service in `json`, nullopt when there is none.
// kInvalidInput for text that is not a JSON object of service arrays, for credentials of the
// wrong type, and for several etcd services without a selector. `from_file`: the text is a file's
// (VCAP_SERVICES_FILE_PATH), whose content messages never show: services and service lists are
// named by position instead of by name and key.
Result<std::optional<ProxySettings>> SettingsFromVcapServices(
    std::string_view json, const std::optional<std::string>& selector, bool from_file = false);

// The VCAP_SERVICES text and where it came from.
struct VcapServicesText {
  std::string text;
  std::optional<std::string>
      file;  // VCAP_SERVICES_FILE_PATH when read from it: messages name the file
};

// Returns the VCAP_SERVICES text: the variable, else the file VCAP_SERVICES_FILE_PATH names;
// nullopt when neither is set.
Result<std::optional<VcapServicesText>> ReadVcapServices(const Env& env);

}  // namespace bp
