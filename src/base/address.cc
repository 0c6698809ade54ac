#include "base/address.h"

#include "base/strings.h"
#include "base/url.h"

namespace bp {

namespace {

Error Problem(const std::string& what) { return MakeError(ErrorKind::kInvalidInput, what); }

bool IsHostText(std::string_view host) {
  return !host.empty() && ParseUrl("h://" + std::string(host)).has_value();
}

// Explains why `text` is not a well-formed address, without repeating it.
Error Diagnose(std::string_view text) {
  std::string_view rest = Trim(text);
  if (HasSpaceOrControl(rest)) return Problem("contains a space or a control character");
  if (HasMisplacedCredentials(rest)) {
    return Problem(
        "has credentials holding '/', '?', '#' or '@', which must be percent-encoded (/ as %2F)");
  }
  if (const size_t sep = rest.find("://"); sep != std::string_view::npos)
    rest.remove_prefix(sep + 3);
  const size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  if (const size_t at = authority.find('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  const size_t close = authority.rfind(']');
  const size_t colon = authority.find(':', close == std::string_view::npos ? 0 : close);
  const std::string_view host = authority.substr(0, colon);
  if (!IsHostText(host)) {
    return Problem(
        "is not a well-formed host:port (a DNS name, an IPv4 address or a bracketed IPv6 address)");
  }
  const std::string_view port =
      colon == std::string_view::npos ? std::string_view() : authority.substr(colon + 1);
  if (!port.empty() && port.find_first_not_of("0123456789") == std::string_view::npos) {
    return Problem("has a port outside 1-65535");
  }
  return Problem("has a port that is not a number from 1 to 65535");
}

Result<int> PortNumber(const Url& url) {
  const int port = std::stoi(url.port);  // ParseUrl checked digits, 0..65535
  if (port < 1) return Problem("has a port outside 1-65535");
  return port;
}

// The endpoint `url` (well formed) names: http, https or no scheme, no path but "/", and a port
// or the scheme's.
Result<Address> EndpointFromUrl(const Url& url) {
  if (!url.scheme.empty() && url.scheme != "http" && url.scheme != "https") {
    return Problem("is not host:port, http://host:port or https://host:port");
  }
  if (!url.path.empty() && url.path != "/")
    return Problem("has a path, query or fragment, which etcd endpoints do not");
  Address address;
  address.scheme = url.scheme;
  address.host = url.host;
  address.had_userinfo = !url.userinfo.empty();
  if (url.port.empty()) {
    if (url.scheme.empty()) return Problem("has no port (etcd's client port is usually 2379)");
    address.port = url.scheme == "https" ? 443 : 80;
    return address;
  }
  Result<int> port = PortNumber(url);
  if (!port.ok()) return port.error();
  address.port = port.value();
  return address;
}

}  // namespace

std::string Address::HostPort() const { return BracketIpv6(host) + ":" + std::to_string(port); }

std::string Address::ToString() const {
  return (scheme.empty() ? "" : scheme + "://") + HostPort();
}

Result<Address> ParseEndpoint(std::string_view text) {
  const std::optional<Url> url = ParseUrl(text);
  if (!url) return Diagnose(text);
  return EndpointFromUrl(*url);
}

Result<Address> ParseListenAddress(std::string_view text) {
  text = Trim(text);
  const bool every_interface = StartsWith(text, ":");
  const std::string full = every_interface ? "0.0.0.0" + std::string(text) : std::string(text);
  const std::optional<Url> url = ParseUrl(full);
  if (!url) return Diagnose(full);
  if (!url->scheme.empty() || !url->userinfo.empty() || !url->path.empty() || url->port.empty()) {
    return Problem("is not a host:port address");
  }
  Result<int> port = PortNumber(*url);
  if (!port.ok()) return port.error();
  return Address{"", every_interface ? "" : url->host, port.value(), false};
}

Result<Address> ParseAdvertiseAddress(std::string_view text) {
  text = Trim(text);
  if (StartsWith(text, ":")) return ParseListenAddress(text);
  const std::optional<Url> url = ParseUrl(text);
  if (!url) return Diagnose(text);
  if (!url->userinfo.empty()) return Problem("carries credentials");
  if (url->port.empty()) return Problem("has no port");
  return EndpointFromUrl(*url);
}

bool IsWildcardHost(std::string_view host) {
  return host.empty() || host == "0.0.0.0" || host == "::";
}

bool IsLoopbackHost(std::string_view host) {
  return ToLower(host) == "localhost" || host == "::1" || StartsWith(host, "127.");
}

std::string LocalHostPort(const Address& listen) {
  Address local = listen;
  if (IsWildcardHost(listen.host)) local.host = listen.host == "::" ? "::1" : "127.0.0.1";
  return local.HostPort();
}

}  // namespace bp
