#include "base/url.h"

#include <arpa/inet.h>

#include <cctype>

#include "base/strings.h"

namespace bp {

namespace {

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool IsScheme(std::string_view text) {
  if (text.empty() || !std::isalpha(static_cast<unsigned char>(text.front()))) return false;
  for (char c : text) {
    if (!IsAlnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

// RFC 3986 userinfo: unreserved, pct-encoded, sub-delims and ':'.
bool IsUserinfo(std::string_view text) {
  for (char c : text) {
    if (!IsAlnum(c) && std::string_view("-._~%!$&'()*+,;=:").find(c) == std::string_view::npos)
      return false;
  }
  return true;
}

bool IsHostName(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsAlnum(c) && c != '-' && c != '.' && c != '_') return false;
  }
  return true;
}

bool IsIpv6(std::string_view text) {
  const size_t zone = text.find('%');  // fe80::1%eth0
  if (zone != std::string_view::npos && !IsHostName(text.substr(zone + 1))) return false;
  const std::string address(text.substr(0, zone));
  in6_addr parsed{};
  return ::inet_pton(AF_INET6, address.c_str(), &parsed) == 1;
}

// Digits only, value up to 65535; returns it without leading zeros.
std::optional<std::string> NormalizePort(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > 65535) return std::nullopt;
  return std::to_string(value);
}

// Reads host and port from `authority` (without userinfo): a host name or a bracketed IPv6
// address, then ":port" or nothing. False when either is malformed.
bool ReadHostAndPort(std::string_view authority, Url& url) {
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    url.host = std::string(authority.substr(1, close - 1));
    if (!IsIpv6(url.host)) return false;
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return false;
    has_port = !rest.empty();
    if (has_port) port = rest.substr(1);
  } else {
    const size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (!url.host.empty() && !IsHostName(url.host)) return false;
    has_port = colon != std::string_view::npos;
    if (has_port) port = authority.substr(colon + 1);
  }
  if (!has_port) return true;
  const std::optional<std::string> normalized = NormalizePort(port);
  if (!normalized) return false;
  url.port = *normalized;
  return true;
}

}  // namespace

bool HasSpaceOrControl(std::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) return true;
  }
  return false;
}

std::string BracketIpv6(std::string_view host) {
  return host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]"
                                                  : std::string(host);
}

bool HasMisplacedCredentials(std::string_view text) {
  if (const size_t sep = text.find("://"); sep != std::string_view::npos)
    text.remove_prefix(sep + 3);
  const size_t authority_end = text.find_first_of("/?#");
  return authority_end != std::string_view::npos &&
         text.find('@', authority_end) != std::string_view::npos;
}

std::string Url::HostPort() const {
  const std::string h = BracketIpv6(host);
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
  if (text.empty() || HasSpaceOrControl(text)) return std::nullopt;
  if (const size_t sep = text.find("://"); sep != std::string_view::npos) {
    if (!IsScheme(text.substr(0, sep))) return std::nullopt;
    url.scheme = ToLower(text.substr(0, sep));
    text.remove_prefix(sep + 3);
  }
  const size_t path_start = text.find_first_of("/?#");
  std::string_view authority = text.substr(0, path_start);
  if (path_start != std::string_view::npos) url.path = std::string(text.substr(path_start));
  if (const size_t at = authority.find('@'); at != std::string_view::npos) {
    url.userinfo = std::string(authority.substr(0, at));
    if (!IsUserinfo(url.userinfo)) return std::nullopt;  // also a second '@'
    authority.remove_prefix(at + 1);
  }
  if (!ReadHostAndPort(authority, url)) return std::nullopt;
  if (url.host.empty() && url.scheme != "file") return std::nullopt;
  return url;
}

std::string RedactUrl(std::string_view text) {
  text = Trim(text);
  const std::optional<Url> url = ParseUrl(text);
  if (!url) {
    // Not a URL we understand: it may still be one with credentials in the wrong places.
    if (text.find('@') != std::string_view::npos) return kRedactedValue;
    const size_t query = text.find_first_of("?#");
    const bool has_query = query != std::string_view::npos && text[query] == '?';
    return EscapeControl(text.substr(0, query)) + (has_query ? "?***" : "");
  }
  // After a clean authority, an '@' means the text was split somewhere a password ended.
  if (url->path.find('@') != std::string::npos) return kRedactedValue;
  std::string shown;
  if (!url->scheme.empty()) shown += url->scheme + "://";
  if (!url->userinfo.empty()) shown += "***@";
  const size_t query = url->path.find_first_of("?#");
  shown += url->HostPort() + url->path.substr(0, query);
  if (query != std::string::npos && url->path[query] == '?') shown += "?***";
  return EscapeControl(shown);
}

std::optional<std::string> FileUrlPath(std::string_view text) {
  if (!StartsWith(ToLower(text.substr(0, 7)), "file://")) return std::nullopt;
  std::string_view rest = text.substr(7);
  if (StartsWith(rest, "localhost/")) rest.remove_prefix(9);
  if (rest.empty() || rest.front() != '/') return std::nullopt;
  return std::string(rest);
}

}  // namespace bp
