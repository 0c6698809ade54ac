#include "proxy/etcd_binding.h"

#include "proxy/service_selection.h"

namespace bp {

namespace {

std::optional<TlsFile> FileEntry(const Binding& binding, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (std::optional<fs::path> path = binding.EntryPath({name})) {
      return TlsFile{path->string(), "", "binding '" + binding.name + "' entry " + name};
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::optional<ProxySettings>> SettingsFromBindings(const std::vector<Binding>& bindings,
                                                          const std::optional<std::string>& selector) {
  std::vector<ServiceCandidate> candidates;
  for (const Binding& binding : bindings) candidates.push_back({{binding.name}, binding.type == "etcd"});
  Result<std::optional<size_t>> chosen = SelectService(candidates, selector, "SERVICE_BINDING_ROOT");
  if (!chosen.ok()) return chosen.error();
  if (!chosen.value()) return std::optional<ProxySettings>();
  const Binding& binding = bindings[*chosen.value()];
  ProxySettings s;
  const std::string origin = "binding '" + binding.name + "'";
  if (std::optional<std::string> list = binding.Entry({"endpoints"})) {
    s.endpoints = EndpointList(*list);
  } else if (std::optional<std::string> uri = binding.Entry({"uri"})) {
    s.endpoints = EndpointList(*uri);
  } else if (std::optional<std::string> host = binding.Entry({"host"})) {
    s.endpoints = std::vector<std::string>{*host + ":" + binding.Entry({"port"}).value_or("2379")};
  }
  s.endpoints_origin = origin;
  s.cacert = FileEntry(binding, {"ca.crt", "ca"});
  s.cert = FileEntry(binding, {"tls.crt", "cert"});
  s.key = FileEntry(binding, {"tls.key", "key", "private-key"});
  s.key_prefix = binding.Entry({"namespace"});
  s.sources.push_back(origin);
  return std::optional<ProxySettings>(std::move(s));
}

}  // namespace bp
