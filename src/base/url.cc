#include "base/url.h"

#include <cctype>

#include "base/strings.h"

namespace bp {

std::string Url::HostPort() const {
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return port.empty() ? h : h + ":" + port;
}

std::string Url::ToString() const {
  std::string text;
  if (!scheme.empty()) text += scheme + "://";
  if (!userinfo.empty()) text += userinfo + "@";
  return text + HostPort() + path;
}

std::optional<Url> ParseUrl(std::string_view text) {
  Url url;
  text = Trim(text);
  if (const size_t sep = text.find("://"); sep != std::string_view::npos) {
    url.scheme = ToLower(text.substr(0, sep));
    text.remove_prefix(sep + 3);
  }
  const size_t path_start = text.find_first_of("/?#");
  std::string_view authority = text.substr(0, path_start);
  if (path_start != std::string_view::npos) url.path = std::string(text.substr(path_start));
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    url.userinfo = std::string(authority.substr(0, at));
    authority.remove_prefix(at + 1);
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    url.host = std::string(authority.substr(1, close - 1));
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return std::nullopt;
    if (!rest.empty()) port = rest.substr(1);
  } else {
    const size_t colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  if (port.size() > 5) return std::nullopt;
  url.port = std::string(port);
  if (url.host.empty() && url.scheme != "file") return std::nullopt;
  return url;
}

std::optional<std::string> FileUrlPath(std::string_view text) {
  if (!StartsWith(ToLower(text.substr(0, 7)), "file://")) return std::nullopt;
  std::string_view rest = text.substr(7);
  if (StartsWith(rest, "localhost/")) rest.remove_prefix(9);
  if (rest.empty() || rest.front() != '/') return std::nullopt;
  return std::string(rest);
}

}  // namespace bp
