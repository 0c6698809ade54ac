#include "proxy_config/vcap_services.h"

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/strings.h"
#include "proxy_config/service_selection.h"

namespace bp {

namespace {

using nlohmann::json;

Error Invalid(const std::string& what) {
  return MakeError(ErrorKind::kInvalidInput, "VCAP_SERVICES: " + what,
                   "fix the service's credentials, e.g. cf cups my-etcd -p creds.json -t etcd");
}

std::string StringOr(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

bool HasEtcdTag(const json& service) {
  const auto tags = service.find("tags");
  if (tags == service.end() || !tags->is_array()) return false;
  for (const json& tag : *tags) {
    // Element-wise, as the tag "etcd" marks an etcd service: "etcd-backups" tags something else.
    if (tag.is_string() && ToLower(Trim(tag.get<std::string>())) == "etcd") return true;
  }
  return false;
}

// Some brokers double-escape newlines; PEM needs real ones.
std::string UnescapePem(std::string pem) {
  if (pem.find('\n') != std::string::npos) return pem;
  std::string out;
  for (size_t i = 0; i < pem.size(); ++i) {
    if (pem[i] == '\\' && i + 1 < pem.size() && pem[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else {
      out += pem[i];
    }
  }
  return out;
}

// Reads the first present of `keys` as a string; an error when it has another type.
Result<std::optional<std::string>> Credential(const json& credentials,
                                              const std::vector<const char*>& keys,
                                              const std::string& service, std::string* used) {
  for (const char* key : keys) {
    const auto it = credentials.find(key);
    if (it == credentials.end() || it->is_null()) continue;
    if (!it->is_string()) return Invalid(service + " credentials." + key + " must be a string");
    *used = key;
    return std::optional<std::string>(it->get<std::string>());
  }
  return std::optional<std::string>();
}

Result<std::optional<std::vector<std::string>>> Endpoints(const json& credentials,
                                                          const std::string& service) {
  for (const char* key : {"endpoints", "uris", "uri"}) {
    const auto it = credentials.find(key);
    if (it == credentials.end() || it->is_null()) continue;
    if (it->is_string())
      return std::optional<std::vector<std::string>>(EndpointList(it->get<std::string>()));
    if (!it->is_array())
      return Invalid(service + " credentials." + key + " must be a list or string");
    std::vector<std::string> list;
    for (const json& item : *it) {
      if (!item.is_string()) return Invalid(service + " credentials." + key + " must hold strings");
      for (std::string& endpoint : EndpointList(item.get<std::string>()))
        list.push_back(std::move(endpoint));
    }
    return std::optional<std::vector<std::string>>(std::move(list));
  }
  return std::optional<std::vector<std::string>>();
}

// `name` is how messages show the service ("service 'my-etcd'", or "service 3" from a file).
Result<ProxySettings> FromCredentials(const json& service, const std::string& name) {
  const std::string origin = "VCAP_SERVICES " + name;
  const auto credentials = service.find("credentials");
  if (credentials == service.end() || !credentials->is_object()) {
    return Invalid(name + " has no credentials object");
  }
  ProxySettings s;
  s.sources.push_back(origin);
  Result<std::optional<std::vector<std::string>>> endpoints = Endpoints(*credentials, name);
  if (!endpoints.ok()) return endpoints.error();
  s.endpoints = endpoints.value();
  s.endpoints_origin = origin;
  struct Pem {
    std::optional<TlsFile>* field;
    std::vector<const char*> keys;
  };
  for (const Pem& pem :
       {Pem{&s.cacert, {"ca", "ca_cert", "cacert"}}, Pem{&s.cert, {"cert", "client_cert"}},
        Pem{&s.key, {"key", "client_key"}}}) {
    std::string used;
    Result<std::optional<std::string>> text = Credential(*credentials, pem.keys, name, &used);
    if (!text.ok()) return text.error();
    if (text.value() && !Trim(*text.value()).empty()) {
      *pem.field = TlsFile{"", UnescapePem(*text.value()), origin + " credentials." + used};
    }
  }
  std::string used;
  Result<std::optional<std::string>> prefix = Credential(*credentials, {"namespace"}, name, &used);
  if (!prefix.ok()) return prefix.error();
  if (prefix.value() && !prefix.value()->empty()) s.key_prefix = prefix.value();
  return s;
}

// The services of VCAP_SERVICES, in document order, and how selection sees each.
struct ServiceList {
  std::vector<const json*> services;
  std::vector<ServiceCandidate> candidates;
};

ServiceCandidate CandidateOf(const json& service, const std::string& provider,
                             const std::string& shown) {
  ServiceCandidate candidate;
  candidate.shown = shown;
  for (const char* key : {"name", "instance_name", "binding_name"}) {
    if (std::string value = StringOr(service, key); !value.empty())
      candidate.names.push_back(value);
  }
  if (candidate.names.empty()) candidate.names.push_back(provider);
  candidate.is_etcd = HasEtcdTag(service);
  return candidate;
}

// Returns every service of `doc` (a JSON object of service arrays). `from_file`: a file's content
// is never shown (docs/reliability.md), so service lists and services go by position.
Result<ServiceList> ListServices(const json& doc, bool from_file) {
  ServiceList list;
  size_t list_number = 0;
  for (const auto& [provider, instances] : doc.items()) {
    const std::string shown_list =
        from_file ? "service list " + std::to_string(++list_number) : Quote(provider);
    if (!instances.is_array()) return Invalid(shown_list + " is not a list of services");
    for (const json& service : instances) {
      if (!service.is_object())
        return Invalid(shown_list + " holds something that is not a service");
      const std::string shown =
          from_file ? "service " + std::to_string(list.services.size() + 1) : "";
      list.services.push_back(&service);
      list.candidates.push_back(CandidateOf(service, provider, shown));
    }
  }
  return list;
}

// Tags decide; labels only when no service is tagged.
void MarkEtcdByLabelUnlessTagged(ServiceList& list) {
  for (const ServiceCandidate& c : list.candidates) {
    if (c.is_etcd) return;
  }
  for (size_t i = 0; i < list.services.size(); ++i) {
    list.candidates[i].is_etcd =
        ToLower(StringOr(*list.services[i], "label")).find("etcd") != std::string::npos;
  }
}

}  // namespace

Result<std::optional<ProxySettings>> SettingsFromVcapServices(
    std::string_view text, const std::optional<std::string>& selector, bool from_file) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return MakeError(ErrorKind::kInvalidInput,
                     std::string("VCAP_SERVICES ") +
                         (doc.is_discarded() ? "is not valid JSON" : "is not a JSON object"),
                     "it must be a JSON object of service arrays, as Cloud Foundry writes it");
  }
  Result<ServiceList> list = ListServices(doc, from_file);
  if (!list.ok()) return list.error();
  MarkEtcdByLabelUnlessTagged(list.value());
  Result<std::optional<size_t>> chosen =
      SelectService(list.value().candidates, selector, "VCAP_SERVICES");
  if (!chosen.ok()) return chosen.error();
  if (!chosen.value()) return std::optional<ProxySettings>();
  const json& service = *list.value().services[*chosen.value()];
  const std::string& shown = list.value().candidates[*chosen.value()].shown;
  Result<ProxySettings> settings = FromCredentials(
      service,
      shown.empty() ? "service '" + EscapeControl(StringOr(service, "name")) + "'" : shown);
  if (!settings.ok()) return settings.error();
  return std::optional<ProxySettings>(std::move(settings).value());
}

Result<std::optional<VcapServicesText>> ReadVcapServices(const Env& env) {
  if (std::optional<std::string> text = env.GetSetting("VCAP_SERVICES")) {
    return std::optional<VcapServicesText>(VcapServicesText{*text, std::nullopt});
  }
  if (std::optional<std::string> path = env.GetSetting("VCAP_SERVICES_FILE_PATH")) {
    Result<std::string> text = ReadSmallFile(*path, 16 * kMaxSettingBytes);
    if (!text.ok()) return text.error().Wrap("VCAP_SERVICES_FILE_PATH");
    return std::optional<VcapServicesText>(VcapServicesText{std::move(text).value(), *path});
  }
  return std::optional<VcapServicesText>();
}

}  // namespace bp
