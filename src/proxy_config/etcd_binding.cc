#include "proxy_config/etcd_binding.h"

#include "base/strings.h"
#include "proxy_config/service_selection.h"

namespace bp {

namespace {

std::optional<TlsFile> FileEntry(const Binding& binding, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (std::optional<fs::path> path = binding.EntryPath({name})) {
      return TlsFile{path->string(), "",
                     "binding '" + EscapeControl(binding.name) + "' entry " + name};
    }
  }
  return std::nullopt;
}

// A JSON array (how Cloud Foundry writes a list credential into its file) or a comma list.
Result<std::vector<std::string>> EndpointsEntry(const Binding& binding, const std::string& value) {
  if (!StartsWith(value, "[")) return EndpointList(value);
  std::optional<std::vector<std::string>> items = JsonStringArray(value);
  if (!items) {
    return MakeError(
        ErrorKind::kInvalidInput,
        "binding '" + EscapeControl(binding.name) +
            "': its endpoints entry starts with '[' but is not a JSON array of strings",
        "write the endpoints as [\"https://host:2379\", …] or as a comma-separated list");
  }
  std::vector<std::string> endpoints;
  for (const std::string& item : *items) {
    for (std::string& endpoint : EndpointList(item)) endpoints.push_back(std::move(endpoint));
  }
  return endpoints;
}

}  // namespace

Result<std::optional<ProxySettings>> SettingsFromBindings(
    const std::vector<Binding>& bindings, const std::optional<std::string>& selector) {
  std::vector<ServiceCandidate> candidates;
  for (const Binding& binding : bindings) {
    ServiceCandidate candidate{{binding.name}, IsEtcdBinding(binding), ""};
    // Cloud Foundry's file-based bindings also answer to their instance and binding names.
    for (const char* entry : {"name", "instance-name", "binding-name"}) {
      std::optional<std::string> name = binding.Entry({entry});
      if (name && !name->empty() && *name != binding.name) candidate.names.push_back(*name);
    }
    candidates.push_back(std::move(candidate));
  }
  Result<std::optional<size_t>> chosen =
      SelectService(candidates, selector, "SERVICE_BINDING_ROOT");
  if (!chosen.ok()) return chosen.error();
  if (!chosen.value()) return std::optional<ProxySettings>();
  const Binding& binding = bindings[*chosen.value()];
  ProxySettings s;
  const std::string origin = "binding '" + EscapeControl(binding.name) + "'";
  const std::initializer_list<const char*> endpoint_entries = {"endpoints", "uris", "uri"};
  if (std::optional<std::string> list = binding.Entry(endpoint_entries)) {
    Result<std::vector<std::string>> endpoints = EndpointsEntry(binding, *list);
    if (!endpoints.ok()) return endpoints.error();
    s.endpoints = endpoints.value();
    // An etcd binding reads every entry it has of these, so the first present is the one read.
    s.endpoints_file = binding.EntryPath(endpoint_entries).value_or(binding.directory).string();
  } else if (std::optional<std::string> host = binding.Entry({"host"})) {
    s.endpoints = std::vector<std::string>{*host + ":" + binding.Entry({"port"}).value_or("2379")};
    s.endpoints_file =
        (binding.directory / "host").string() + ", " + (binding.directory / "port").string();
  }
  s.endpoints_origin = origin;
  s.cacert = FileEntry(binding, {"ca.crt", "ca", "ca_cert", "cacert"});
  s.cert = FileEntry(binding, {"tls.crt", "cert", "client_cert"});
  s.key = FileEntry(binding, {"tls.key", "key", "private-key", "client_key"});
  s.key_prefix = binding.Entry({"namespace"});
  s.sources.push_back(origin);
  return std::optional<ProxySettings>(std::move(s));
}

}  // namespace bp
