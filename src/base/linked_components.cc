#include "base/linked_components.h"

#include <curl/curlver.h>
#include <features.h>

#include <nlohmann/json.hpp>

#include "base/purl.h"

// Weak references: they resolve to the library's function when the executable links that library
// for its own use, and to null otherwise (a weak reference never pulls an archive member in). The
// prototypes are the libraries' public ones (openssl/crypto.h, curl/curl.h, zlib.h, archive.h,
// gnu/libc-version.h), declared here so the attribute applies before any use; toml++'s marker is
// defined in base/toml_impl.cc, the one file that compiles toml++.
extern "C" {
const char* OpenSSL_version(int type) __attribute__((weak));
char* curl_version(void) __attribute__((weak));
void* curl_easy_init(void) __attribute__((weak));
const char* zlibVersion(void) __attribute__((weak));
const char* archive_version_string(void) __attribute__((weak));
const char* gnu_get_libc_version(void) __attribute__((weak));
const char* bp_linked_tomlplusplus_version(void) __attribute__((weak));
}

namespace bp {

namespace {

// The word after `prefix` in `text` ("libcurl/7.88.1 OpenSSL/3.0.17" → "7.88.1" for "libcurl/").
std::string WordAfter(const std::string& text, const std::string& prefix) {
  const size_t at = text.find(prefix);
  if (at == std::string::npos) return {};
  const size_t start = at + prefix.size();
  return text.substr(start, text.find(' ', start) - start);
}

LinkedComponent Make(const std::string& name, const std::string& version,
                     const std::string& license, const std::string& cpe_vendor_product) {
  Purl purl;
  purl.type = "generic";
  purl.name = name;
  purl.version = version;
  std::string cpe;
  if (!cpe_vendor_product.empty())
    cpe = "cpe:2.3:a:" + cpe_vendor_product + ":" + version + ":*:*:*:*:*:*:*";
  return {name, version, license, purl.ToString(), cpe};
}

}  // namespace

std::vector<LinkedComponent> LinkedComponents() {
  std::vector<LinkedComponent> found;
  // A version function lives in its own object file, which a static link may leave out even
  // though the library is in (glibc's, curl's): then the probe is a function every user of the
  // library links, and the version is that of the headers this was compiled with, which belong
  // to the library linked (the static build compiles against the static curl's own headers).
  const std::string glibc = gnu_get_libc_version != nullptr
                                ? gnu_get_libc_version()
                                : std::to_string(__GLIBC__) + "." + std::to_string(__GLIBC_MINOR__);
  found.push_back(Make("glibc", glibc, "LGPL-2.1-or-later", "gnu:glibc"));
  if (OpenSSL_version != nullptr) {
    // OpenSSL_version(OPENSSL_VERSION) is "OpenSSL 3.0.17 1 Jul 2025"; 3.x is Apache-2.0, older is
    // "OpenSSL".
    const std::string version = WordAfter(OpenSSL_version(0), "OpenSSL ");
    found.push_back(Make("openssl", version, version.rfind("1.", 0) == 0 ? "OpenSSL" : "Apache-2.0",
                         "openssl:openssl"));
  }
  if (curl_version != nullptr || curl_easy_init != nullptr) {
    const std::string version =
        curl_version != nullptr ? WordAfter(curl_version(), "libcurl/") : LIBCURL_VERSION;
    found.push_back(Make("curl", version, "curl", "haxx:libcurl"));
  }
  if (zlibVersion != nullptr) found.push_back(Make("zlib", zlibVersion(), "Zlib", "zlib:zlib"));
  if (archive_version_string != nullptr) {
    found.push_back(Make("libarchive", WordAfter(archive_version_string(), "libarchive "),
                         "BSD-2-Clause", "libarchive:libarchive"));
  }
  if (bp_linked_tomlplusplus_version != nullptr) {
    found.push_back(Make("tomlplusplus", bp_linked_tomlplusplus_version(), "MIT", ""));
  }
  // This file uses nlohmann-json itself, so wherever this code runs that library is linked.
  found.push_back(Make("nlohmann-json",
                       std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                           std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                           std::to_string(NLOHMANN_JSON_VERSION_PATCH),
                       "MIT", ""));
  return found;
}

std::string LinkedComponentsJson(const std::vector<LinkedComponent>& components) {
  nlohmann::json list = nlohmann::json::array();
  for (const LinkedComponent& c : components) {
    list.push_back({{"name", c.name},
                    {"version", c.version},
                    {"license", c.license},
                    {"purl", c.purl},
                    {"cpe", c.cpe}});
  }
  return nlohmann::json{{"components", list}}.dump(2) + "\n";
}

Result<std::vector<LinkedComponent>> ParseLinkedComponentsJson(std::string_view text) {
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  const auto invalid = [](const std::string& why) {
    return MakeError(ErrorKind::kInvalidInput,
                     "the launch helper's component list is not valid: " + why);
  };
  if (!parsed.is_object() || !parsed.contains("components") || !parsed["components"].is_array()) {
    return invalid("no \"components\" array");
  }
  std::vector<LinkedComponent> components;
  for (const nlohmann::json& entry : parsed["components"]) {
    LinkedComponent c;
    for (auto [field, key] : {std::pair{&c.name, "name"},
                              {&c.version, "version"},
                              {&c.license, "license"},
                              {&c.purl, "purl"},
                              {&c.cpe, "cpe"}}) {
      if (!entry.is_object() || !entry.contains(key) || !entry[key].is_string()) {
        return invalid(std::string("an entry without a string \"") + key + "\"");
      }
      *field = entry[key].get<std::string>();
    }
    if (c.name.empty() || c.version.empty()) return invalid("an entry without a name or version");
    components.push_back(std::move(c));
  }
  return components;
}

}  // namespace bp
