// Fuzzes dependency mirrors (dependency/mirror.h) and the URL helpers they rely on
// (base/url.h: ParseUrl, RedactUrl). Input lines NAME=VALUE become the environment;
// other lines, and the whole input, are URIs to mirror.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/strings.h"
#include "base/url.h"
#include "dependency/mirror.h"
#include "fuzz_util.h"

namespace {

const char* const kUris[] = {
    "https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd-v3.6.14-linux-amd64.tar.gz",
    "https://user:secret@Example.ORG:8443/path/file.tgz?X-Amz-Signature=abc#frag",
    "file:///srv/deps/etcd.tgz",
    "http://[::1]:8080/etcd.tgz",
};

bool HasBracket(const std::string& host) { return host.find_first_of("[]") != std::string::npos; }

void CheckUrlHelpers(std::string_view text) {
  const std::optional<bp::Url> url = bp::ParseUrl(text);
  (void)bp::FileUrlPath(text);
  const std::string_view trimmed = bp::Trim(text);
  const std::string redacted = bp::RedactUrl(trimmed);
  if (!url) return;
  BP_FUZZ_CHECK(
      url->port.size() <= 5 && url->port.find_first_not_of("0123456789") == std::string::npos,
      "ParseUrl accepted port \"" + url->port + "\"");
  BP_FUZZ_CHECK(!url->host.empty() || url->scheme == "file", "ParseUrl accepted an empty host");
  (void)url->HostPort();
  (void)url->ToString();
  // RedactUrl's contract: user:password@ becomes ***@ (with or without a scheme: "u:p@h:2379"
  // is an etcd endpoint), a query string becomes ?***, and an '@' after the authority (where a
  // password holding '/', '?' or '#' ends) redacts the whole value. redact_fuzz checks that no
  // password byte ever leaks; this checks the shape.
  if (url->path.find('@') != std::string::npos) {
    BP_FUZZ_CHECK(redacted == bp::kRedactedValue,
                  "RedactUrl kept a value with '@' after its authority: " + redacted);
    return;
  }
  const std::string expected =
      (url->scheme.empty() ? "" : url->scheme + "://") + (url->userinfo.empty() ? "" : "***@");
  BP_FUZZ_CHECK(redacted.compare(0, expected.size(), expected) == 0,
                "RedactUrl changed the start: \"" + redacted + "\"");
  const size_t query = url->path.find_first_of("?#");
  if (query != std::string::npos && url->path[query] == '?') {
    BP_FUZZ_CHECK(bp::EndsWith(redacted, "?***"),
                  "RedactUrl kept a query string: \"" + redacted + "\"");
  }
  BP_FUZZ_CHECK(redacted.find('#') == std::string::npos,
                "RedactUrl kept a fragment: \"" + redacted + "\"");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = bp_fuzz::AsText(data, size);
  std::map<std::string, std::string, std::less<>> vars;
  std::vector<std::string> uris(std::begin(kUris), std::end(kUris));
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t newline = rest.find('\n');
    const std::string_view line = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
    const size_t eq = line.find('=');
    if (eq != std::string_view::npos && eq > 0) {
      vars[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
    } else if (uris.size() < 16) {
      uris.emplace_back(line);
    }
  }
  uris.emplace_back(text);
  for (const std::string& uri : uris) CheckUrlHelpers(uri);
  for (const auto& [name, value] : vars) CheckUrlHelpers(value);

  const bp::Env env(std::move(vars));
  bp::Result<bp::MirrorSettings> settings = bp::ReadMirrorSettings(env, {});
  BP_FUZZ_CHECK(settings.ok(), "ReadMirrorSettings failed without bindings");
  for (const auto& [host, mirror] : settings.value().by_host) {
    BP_FUZZ_CHECK(host == bp::ToLower(host), "a mirror host is not lowercase: " + host);
    BP_FUZZ_CHECK(settings.value().host_origin.count(host) == 1,
                  "a mirror host has no origin: " + host);
  }
  for (const std::string& uri : uris) {
    bp::Result<std::optional<bp::MirroredUri>> mirrored = bp::ApplyMirror(settings.value(), uri);
    if (!mirrored.ok()) {
      BP_FUZZ_CHECK(mirrored.error().kind == bp::ErrorKind::kInvalidInput, "not kInvalidInput");
      continue;
    }
    if (!mirrored.value()) continue;
    const bp::MirroredUri& result = *mirrored.value();
    BP_FUZZ_CHECK(bp::StartsWith(result.uri, "https://") || bp::StartsWith(result.uri, "file://"),
                  "mirrored onto a URL that is neither https:// nor file://: " + result.uri);
    BP_FUZZ_CHECK(!result.origin.empty(), "a mirrored URI without origin");
    // The download must go to the mirror's host, whatever the original URI holds.
    const std::optional<bp::Url> original = bp::ParseUrl(uri);
    const auto by_host = settings.value().by_host.find(bp::ToLower(original->host));
    const std::string& mirror = by_host != settings.value().by_host.end()
                                    ? by_host->second
                                    : settings.value().default_mirror;
    const std::optional<bp::Url> mirror_url = bp::ParseUrl(mirror);
    // Url::ToString brackets any host with a ':' (IPv6), so a mirror host that already holds
    // '[' or ']' ("a]:b") comes back different; such a mirror is garbage in, garbage out.
    if (!HasBracket(mirror_url->host)) {
      const std::optional<bp::Url> result_url = bp::ParseUrl(result.uri);
      BP_FUZZ_CHECK(result_url.has_value(), "the mirrored URI does not parse: " + result.uri);
      BP_FUZZ_CHECK(result_url->host == mirror_url->host,
                    "mirrored onto host \"" + result_url->host + "\" instead of \"" +
                        mirror_url->host + "\"");
    }
  }
  return 0;
}
