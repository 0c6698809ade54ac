// Just enough URL structure for mirrors, downloads and etcd endpoints: scheme://userinfo@host:port/path.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bp {

struct Url {
  std::string scheme;    // lowercase; empty when the text had none ("host:port")
  std::string userinfo;  // "user:pass", never logged
  std::string host;      // without brackets for IPv6
  std::string port;      // digits, or empty
  std::string path;      // from the first '/', with query and fragment

  // Returns host:port, with brackets around an IPv6 host.
  std::string HostPort() const;
  // Returns the URL text again (with userinfo).
  std::string ToString() const;
};

// Splits `text`; nullopt when it has no host or a malformed port. Text without "://" is read as
// host[:port][/path].
std::optional<Url> ParseUrl(std::string_view text);

// Returns the local path of a file:// URL (percent-escapes are not decoded), or nullopt.
std::optional<std::string> FileUrlPath(std::string_view text);

}  // namespace bp
