#include "base/purl.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

// Cases from purl-spec tests/types/generic-test.json and tests/spec/specification-test.json.
TEST(PurlTest, BuildsTheSpecsGenericExamples) {
  Purl openssl;
  openssl.type = "generic";
  openssl.name = "openssl";
  openssl.version = "1.1.10g";
  openssl.qualifiers = {{"download_url", "https://openssl.org/source/openssl-1.1.0g.tar.gz"},
                        {"checksum", "sha256:de4d501267da"}};
  EXPECT_EQ(openssl.ToString(),
            "pkg:generic/"
            "openssl@1.1.10g?checksum=sha256:de4d501267da&download_url=https:%2F%2Fopenssl.org%"
            "2Fsource%2F"
            "openssl-1.1.0g.tar.gz");

  Purl bitwarderl;
  bitwarderl.type = "generic";
  bitwarderl.name = "bitwarderl";
  bitwarderl.qualifiers = {{"vcs_url", "git+https://git.fsfe.org/dxtr/bitwarderl@cc55108da32"}};
  EXPECT_EQ(bitwarderl.ToString(),
            "pkg:generic/"
            "bitwarderl?vcs_url=git%2Bhttps:%2F%2Fgit.fsfe.org%2Fdxtr%2Fbitwarderl%40cc55108da32");

  Purl checksums;
  checksums.type = "generic";
  checksums.name = "openssl";
  checksums.version = "1.1.10g";
  checksums.qualifiers = {{"checksum", "sha1:ad9503c3e994a4f,sha256:41bf9088b3a1e6c1ef1d"}};
  EXPECT_EQ(
      checksums.ToString(),
      "pkg:generic/openssl@1.1.10g?checksum=sha1:ad9503c3e994a4f%2Csha256:41bf9088b3a1e6c1ef1d");
}

TEST(PurlTest, ParsesTheSpecsGenericExample) {
  Result<Purl> purl = ParsePurl(
      "pkg:generic/openssl@1.1.10g?download_url=https://openssl.org/source/"
      "openssl-1.1.0g.tar.gz&checksum=sha256:de4d501267da");
  ASSERT_TRUE(purl.ok()) << purl.error().message;
  EXPECT_EQ(purl.value().type, "generic");
  EXPECT_EQ(purl.value().namespace_, "");
  EXPECT_EQ(purl.value().name, "openssl");
  EXPECT_EQ(purl.value().version, "1.1.10g");
  const std::map<std::string, std::string> expected = {
      {"checksum", "sha256:de4d501267da"},
      {"download_url", "https://openssl.org/source/openssl-1.1.0g.tar.gz"}};
  EXPECT_EQ(purl.value().qualifiers, expected);
  EXPECT_EQ(purl.value().subpath, "");
}

TEST(PurlTest, CanonicalFormOfTheSpecsRoundTripExamples) {
  const std::pair<const char*, const char*> cases[] = {
      {"pkg:generic/bitwarderl?vcs_url=git%2Bhttps://git.fsfe.org/dxtr/bitwarderl%40cc55108da32",
       "pkg:generic/"
       "bitwarderl?vcs_url=git%2Bhttps:%2F%2Fgit.fsfe.org%2Fdxtr%2Fbitwarderl%40cc55108da32"},
      {"pkg:generic/bitwarderl?checksum=sha1:ad9503c3e994a4f%2Csha256:41bf9088b3a1e6c1ef1d",
       "pkg:generic/bitwarderl?checksum=sha1:ad9503c3e994a4f%2Csha256:41bf9088b3a1e6c1ef1d"},
      {"pkg:GitHub/package-url/purl-spec@244fd47e07d1004#everybody/loves/dogs",
       "pkg:github/package-url/purl-spec@244fd47e07d1004#everybody/loves/dogs"},
      {"pkg:maven/org.apache.commons/io@1.3.4?Repository_URL=repo.spring.io/release",
       "pkg:maven/org.apache.commons/io@1.3.4?repository_url=repo.spring.io%2Frelease"},
      {"pkg://generic/name@1.0", "pkg:generic/name@1.0"},
      {"pkg:generic/name@1.0?empty=&arch=amd64", "pkg:generic/name@1.0?arch=amd64"},
      {"pkg:generic/name#/./a/../b/", "pkg:generic/name#a/b"},
      // What buildpack.toml used to hold: the same purl, now written canonically (%3A decodes to
      // ':').
      {"pkg:generic/etcd@3.6.14?arch=amd64&download_url=https%3A%2F%2Fgithub.com%2Fa.tgz",
       "pkg:generic/etcd@3.6.14?arch=amd64&download_url=https:%2F%2Fgithub.com%2Fa.tgz"},
  };
  for (const auto& [input, canonical] : cases) {
    Result<std::string> result = CanonicalPurl(input);
    ASSERT_TRUE(result.ok()) << input << ": " << result.error().message;
    EXPECT_EQ(result.value(), canonical) << input;
    EXPECT_EQ(CanonicalPurl(canonical).value(), canonical)
        << "canonical form is a fixed point: " << canonical;
  }
}

TEST(PurlTest, EncodeDecodeRoundTripsEveryByte) {
  std::string all;
  for (int c = 1; c < 256; ++c) all += static_cast<char>(c);
  const std::string encoded = PurlPercentEncode(all);
  for (char c : encoded) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) ||
                std::string_view(".-_~:%").find(c) != std::string_view::npos)
        << "unencoded '" << c << "'";
  }
  Result<Purl> decoded = ParsePurl("pkg:generic/" + encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded.value().name, all);
  EXPECT_EQ(PurlPercentEncode("a b&c=d?e#f/g@h"), "a%20b%26c%3Dd%3Fe%23f%2Fg%40h");

  Purl purl;
  purl.type = "generic";
  purl.namespace_ = "a b/c@d";
  purl.name = "n/a?m#e";
  purl.version = "1.0+build 7";
  purl.qualifiers = {{"download_url", "https://u:p@host/p?q=1&r=2#frag"}, {"arch", "amd64"}};
  purl.subpath = "x y/z";
  Result<Purl> parsed = ParsePurl(purl.ToString());
  ASSERT_TRUE(parsed.ok()) << purl.ToString() << ": " << parsed.error().message;
  EXPECT_EQ(parsed.value().namespace_, purl.namespace_);
  EXPECT_EQ(parsed.value().name, purl.name);
  EXPECT_EQ(parsed.value().version, purl.version);
  EXPECT_EQ(parsed.value().qualifiers, purl.qualifiers);
  EXPECT_EQ(parsed.value().subpath, purl.subpath);
}

TEST(PurlTest, RejectsWhatTheSpecRejects) {
  for (const char* bad :
       {"", "generic/name", "pkg%3Amaven/org.apache.commons/io", "pkg:generic", "pkg:/name",
        "pkg:1type/name", "pkg:generic/@1.0", "pkg:generic/name?in%20production=true",
        "pkg:generic/name?a=1&a=2", "pkg:generic/name?novalue", "pkg:generic/na%2me",
        "pkg:generic/name@1.0%", "pkg:generic/name?k=%4"}) {
    Result<Purl> purl = ParsePurl(bad);
    EXPECT_FALSE(purl.ok()) << bad;
    if (!purl.ok()) EXPECT_EQ(purl.error().kind, ErrorKind::kInvalidInput) << bad;
  }
}

}  // namespace
}  // namespace bp
