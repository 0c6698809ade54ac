// Just enough URL structure for mirrors, downloads and etcd endpoints:
// scheme://userinfo@host:port/path, parsed strictly (RFC 3986 authority rules), and the one
// redaction every log line goes through.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bp {

struct Url {
  std::string scheme;    // lowercase; empty when the text had none ("host:port")
  std::string userinfo;  // "user:pass", never logged
  std::string host;      // without brackets for IPv6
  std::string port;      // decimal without leading zeros (0..65535), or empty
  std::string path;      // from the first '/', '?' or '#', with query and fragment

  // Returns host:port, with brackets around an IPv6 host.
  std::string HostPort() const;
  // Returns the URL text again (with userinfo).
  std::string ToString() const;
};

// Splits `text` (trimmed). nullopt unless it is well formed: no spaces or control characters, a
// scheme of letters, digits, '+', '-' and '.', an authority ending at the first '/', '?' or '#'
// holding at most one '@', userinfo of RFC 3986 characters only, a host of letters, digits, '-',
// '.' and '_' or a bracketed IPv6 address, and a port of digits up to 65535. Only file:// may
// have an empty host. Text without "://" is read as [userinfo@]host[:port][/path].
std::optional<Url> ParseUrl(std::string_view text);

// True when `text` holds a space (or any byte up to 0x20) or DEL.
bool HasSpaceOrControl(std::string_view text);

// Returns `host` bracketed when it is an IPv6 literal ("::1" → "[::1]"), else as it is.
std::string BracketIpv6(std::string_view host);

// True when an '@' follows the authority's end ('/', '?' or '#' after the optional "scheme://"):
// the sign of a user name or password holding '/', '?', '#' or '@' unencoded.
bool HasMisplacedCredentials(std::string_view text);

// Returns `text` fit for any output. A well-formed URL keeps its scheme, host, port and path;
// userinfo becomes "***@", a query "?***", and a fragment is dropped. A value that could hide
// credentials but does not parse cleanly (an '@' anywhere else, as in a password holding '/',
// '?' or '#') is replaced whole by kRedactedValue. Control characters are escaped.
std::string RedactUrl(std::string_view text);

inline constexpr char kRedactedValue[] = "<redacted: not a well-formed URL>";

// Returns the local path of a file:// URL (percent-escapes are not decoded), or nullopt.
std::optional<std::string> FileUrlPath(std::string_view text);

}  // namespace bp
