#include "dependency/mirror.h"

#include <algorithm>

#include "base/settings.h"
#include "base/strings.h"
#include "base/url.h"

namespace bp {

namespace {

constexpr std::string_view kDefaultVariable = settings::kDependencyMirror.name;
constexpr std::string_view kHostPrefix = "BP_DEPENDENCY_MIRROR_";

// GITHUB_COM → github.com; MY__HOST_ORG → my-host.org.
std::string HostFromVariableSuffix(std::string_view suffix) {
  std::string host;
  for (size_t i = 0; i < suffix.size(); ++i) {
    if (suffix[i] == '_' && i + 1 < suffix.size() && suffix[i + 1] == '_') {
      host += '-';
      ++i;
    } else {
      host += suffix[i] == '_' ? '.' : suffix[i];
    }
  }
  return ToLower(host);
}

// Says what is wrong with a mirror that does not parse, without showing it (it may hold a
// password).
Error MalformedMirror(const std::string& origin, std::string_view mirror) {
  if (HasMisplacedCredentials(mirror)) {
    return MakeError(
        ErrorKind::kInvalidInput,
        origin +
            " has credentials holding '/', '?', '#' or '@', which must be percent-encoded in a URL",
        "write / as %2F, ? as %3F, # as %23 and @ as %40 in the user name and password");
  }
  const size_t sep = mirror.find("://");
  const std::string_view rest = sep == std::string_view::npos ? mirror : mirror.substr(sep + 3);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (std::count(authority.begin(), authority.end(), '@') > 1) {
    return MakeError(ErrorKind::kInvalidInput,
                     origin + " has credentials holding '@', which must be percent-encoded",
                     "write @ as %40 in the user name and password");
  }
  return MakeError(ErrorKind::kInvalidInput,
                   origin +
                       " is not a well-formed URL (spaces, control characters, a bad host or a "
                       "port outside 0-65535)",
                   "for example https://mirror.example.org/{originalHost}");
}

}  // namespace

Result<MirrorSettings> ReadMirrorSettings(const Env& env, const std::vector<Binding>& bindings) {
  MirrorSettings settings;
  const Binding* mirror_binding = nullptr;
  for (const Binding& binding : bindings) {
    if (binding.type != "dependency-mirror") continue;
    if (mirror_binding != nullptr) {
      return MakeError(ErrorKind::kInvalidInput,
                       "bindings '" + mirror_binding->name + "' and '" + binding.name +
                           "' are both of type dependency-mirror",
                       "keep one dependency-mirror binding");
    }
    mirror_binding = &binding;
  }
  if (mirror_binding != nullptr) {
    const std::string origin = "binding '" + mirror_binding->name + "'";
    for (const auto& [entry, value] : mirror_binding->entries) {
      if (entry == "default") {
        settings.default_mirror = value;
        settings.default_origin = origin;
      } else {
        settings.by_host[ToLower(entry)] = value;
        settings.host_origin[ToLower(entry)] = origin;
      }
    }
  }
  for (const auto& [name, value] : env.vars()) {
    if (Trim(value).empty()) continue;
    if (name == kDefaultVariable) {
      settings.default_mirror = std::string(Trim(value));
      settings.default_origin = name;
    } else if (StartsWith(name, kHostPrefix) && name.size() > kHostPrefix.size()) {
      const std::string host =
          HostFromVariableSuffix(std::string_view(name).substr(kHostPrefix.size()));
      settings.by_host[host] = std::string(Trim(value));
      settings.host_origin[host] = name;
    }
  }
  return settings;
}

Result<std::optional<MirroredUri>> ApplyMirror(const MirrorSettings& settings,
                                               std::string_view uri) {
  const std::optional<Url> original = ParseUrl(uri);
  if (!original || original->scheme.empty()) return std::optional<MirroredUri>();
  const std::string host = ToLower(original->host);
  std::string mirror = settings.default_mirror;
  std::string origin = settings.default_origin;
  if (const auto it = settings.by_host.find(host); it != settings.by_host.end()) {
    mirror = it->second;
    origin = settings.host_origin.at(host);
  }
  if (mirror.empty()) return std::optional<MirroredUri>();
  std::optional<Url> target = ParseUrl(mirror);
  if (!target) return MalformedMirror(origin, mirror);
  if (target->scheme != "https" && target->scheme != "file") {
    return MakeError(ErrorKind::kInvalidInput, origin + " must be an https:// or file:// URL",
                     "for example https://mirror.example.org/{originalHost}");
  }
  std::string base = target->path;
  if (const size_t at = base.find("{originalHost}"); at != std::string::npos) {
    base.replace(at, std::string_view("{originalHost}").size(), original->host);
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  target->path = base + original->path;
  return std::optional<MirroredUri>(MirroredUri{target->ToString(), origin});
}

}  // namespace bp
