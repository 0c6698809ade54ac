// The strict parser for network addresses the user types, and the one place that says which
// hosts are this machine: etcd endpoints (host:port, http://host:port, https://host:port), listen
// addresses (host:port, [v6]:port, or ":port" for every interface, as in Go's net.Listen) and
// advertised addresses (either form, a port required). Hosts are DNS names, IPv4 or bracketed IPv6;
// ports are numbers from 1 to 65535 (02379 is 2379); spaces and control characters are refused.
// Errors describe the problem without repeating the value, so callers decide how to show it (a
// value the user typed is quoted, one read from a file is named by its file).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace bp {

struct Address {
  std::string scheme;  // "", "http" or "https"
  std::string host;    // without brackets; "" for a ":port" listen address
  int port = 0;        // 1..65535
  bool had_userinfo = false;

  // Returns host:port with brackets around an IPv6 host.
  std::string HostPort() const;
  // Returns [scheme://]host:port, never with userinfo.
  std::string ToString() const;
};

// A listen address as the user gave it (trimmed: what grpc-proxy's --listen-addr gets and what
// messages show) and what it means.
struct ListenAddress {
  std::string text;
  Address address;
};

// Parses an etcd endpoint; a URL without a port gets its scheme's (443 or 80). kInvalidInput
// with a message that completes "<value> …", e.g. "has a port outside 1-65535".
Result<Address> ParseEndpoint(std::string_view text);

// Parses a listen address (no scheme, userinfo or path; a port is required).
Result<Address> ParseListenAddress(std::string_view text);

// Parses the address a listener is reached at: an endpoint with a port and no userinfo, or ":port"
// (host "", the wildcard a listen address may be).
Result<Address> ParseAdvertiseAddress(std::string_view text);

// Returns true for the hosts Go listens on every interface for ("", 0.0.0.0, ::).
bool IsWildcardHost(std::string_view host);

// Returns true when `host` names this machine's loopback interface (localhost, 127.x.y.z, ::1).
bool IsLoopbackHost(std::string_view host);

// Returns the host:port a client on this machine reaches a listener on `listen` at: a wildcard
// host becomes the loopback address of its family (127.0.0.1, or ::1 for ::).
std::string LocalHostPort(const Address& listen);

}  // namespace bp
