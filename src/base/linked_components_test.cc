#include "base/linked_components.h"

#include <archive.h>
#include <curl/curlver.h>
#include <gtest/gtest.h>
#include <openssl/opensslv.h>
#include <zlib.h>

#include <map>
#include <nlohmann/json.hpp>

#include "base/purl.h"
#include "base/toml.h"

namespace bp {
namespace {

std::map<std::string, LinkedComponent> ByName(const std::vector<LinkedComponent>& list) {
  std::map<std::string, LinkedComponent> by_name;
  for (const LinkedComponent& c : list) by_name[c.name] = c;
  return by_name;
}

std::string Dotted(long major, long minor, long patch) {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

// The test executable links every library; each reports the version its headers were built for.
TEST(LinkedComponentsTest, ReportsEveryLinkedLibraryWithTheVersionItWasBuiltWith) {
  const auto found = ByName(LinkedComponents());
  ASSERT_EQ(found.count("openssl"), 1u);
  EXPECT_EQ(found.at("openssl").version,
            Dotted(OPENSSL_VERSION_MAJOR, OPENSSL_VERSION_MINOR, OPENSSL_VERSION_PATCH));
  EXPECT_EQ(found.at("openssl").license, "Apache-2.0");
  ASSERT_EQ(found.count("curl"), 1u);
  EXPECT_EQ(found.at("curl").version, LIBCURL_VERSION);
  EXPECT_EQ(found.at("curl").cpe,
            std::string("cpe:2.3:a:haxx:libcurl:") + LIBCURL_VERSION + ":*:*:*:*:*:*:*");
  ASSERT_EQ(found.count("zlib"), 1u);
  EXPECT_EQ(found.at("zlib").version, ZLIB_VERSION);
  ASSERT_EQ(found.count("libarchive"), 1u);
  EXPECT_EQ(found.at("libarchive").version, ARCHIVE_VERSION_ONLY_STRING);
  ASSERT_EQ(found.count("tomlplusplus"), 1u);
  EXPECT_EQ(found.at("tomlplusplus").version,
            Dotted(TOML_LIB_MAJOR, TOML_LIB_MINOR, TOML_LIB_PATCH));
  ASSERT_EQ(found.count("nlohmann-json"), 1u);
  EXPECT_EQ(found.at("nlohmann-json").version,
            Dotted(NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR,
                   NLOHMANN_JSON_VERSION_PATCH));
  ASSERT_EQ(found.count("glibc"), 1u);
  for (const auto& [name, c] : found) {
    EXPECT_FALSE(c.license.empty()) << name;
    EXPECT_EQ(CanonicalPurl(c.purl).value(), c.purl) << name;
    EXPECT_EQ(ParsePurl(c.purl).value().version, c.version) << name;
  }
}

TEST(LinkedComponentsTest, JsonRoundTrips) {
  const std::vector<LinkedComponent> list = LinkedComponents();
  Result<std::vector<LinkedComponent>> parsed =
      ParseLinkedComponentsJson(LinkedComponentsJson(list));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed.value().size(), list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(parsed.value()[i].name, list[i].name);
    EXPECT_EQ(parsed.value()[i].version, list[i].version);
    EXPECT_EQ(parsed.value()[i].purl, list[i].purl);
  }
}

TEST(LinkedComponentsTest, RejectsOtherShapes) {
  for (
      const char* bad :
      {"", "garbage", "[]", "{}", R"({"components": {}})", R"({"components": [1]})",
       R"({"components": [{"name": "x"}]})",
       R"({"components": [{"name": "", "version": "1", "license": "", "purl": "", "cpe": ""}]})"}) {
    Result<std::vector<LinkedComponent>> parsed = ParseLinkedComponentsJson(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    if (!parsed.ok()) EXPECT_EQ(parsed.error().kind, ErrorKind::kInvalidInput) << bad;
  }
}

}  // namespace
}  // namespace bp
