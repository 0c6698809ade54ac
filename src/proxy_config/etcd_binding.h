// A Kubernetes service binding (servicebinding.io) of type etcd, as proxy settings: entries
// `endpoints` (comma list; or `host` + `port`), CA in `ca.crt` or `ca`, client certificate in
// `tls.crt` or `cert`, key in `tls.key`, `key` or `private-key`, and `namespace`. TLS entries
// are used as files where they are, so nothing secret is copied. Cloud Foundry's file-based
// bindings (tagged or labelled etcd, see IsEtcdBinding) are read the same way, with the entry
// names of VCAP_SERVICES credentials too: `endpoints` as a JSON array or a comma string,
// `uri`/`uris`, `ca_cert`/`cacert`, `client_cert`, `client_key`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/bindings.h"
#include "base/result.h"
#include "proxy_config/proxy_settings.h"

namespace bp {

// Returns the settings of the selected etcd binding, nullopt when there is none.
Result<std::optional<ProxySettings>> SettingsFromBindings(
    const std::vector<Binding>& bindings, const std::optional<std::string>& selector);

}  // namespace bp
