#include "cnb/sbom.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Dependency Dep() {
  Dependency dep = testing::MakeDependency("3.6.14", "https://github.com/etcd-io/etcd/etcd.tgz",
                                           "body", "amd64");
  dep.purl = "pkg:generic/etcd@3.6.14?arch=amd64";
  return dep;
}

// Returns the <layer>.sbom.<format>.json that WriteLayerSboms writes for `what`.
template <typename... What>
std::string Written(const std::string& format, const What&... what) {
  ScopedTempDir tmp = testing::MakeTempDir();
  Status written = WriteLayerSboms(tmp.path(), "layer", what...);
  EXPECT_TRUE(written.ok()) << written.error().message;
  return testing::ReadFile(tmp.path() / ("layer.sbom." + format + ".json"));
}

std::string CycloneDx(const Dependency& dep, std::string_view tool) {
  return Written("cdx", dep, tool);
}
std::string Spdx(const Dependency& dep, std::string_view tool) {
  return Written("spdx", dep, tool);
}
std::string CycloneDx(const SbomDocument& document) { return Written("cdx", document); }
std::string Spdx(const SbomDocument& document) { return Written("spdx", document); }

TEST(SbomTest, CycloneDxNamesEtcdVersionPurlCpeLicenceAndDigest) {
  const auto bom = nlohmann::json::parse(CycloneDx(Dep(), "tool 1.0"));
  EXPECT_EQ(bom["bomFormat"], "CycloneDX");
  EXPECT_EQ(bom["specVersion"], "1.4");
  const auto& c = bom["components"][0];
  EXPECT_EQ(c["name"], "etcd");
  EXPECT_EQ(c["version"], "3.6.14");
  EXPECT_EQ(c["purl"], "pkg:generic/etcd@3.6.14?arch=amd64");
  EXPECT_EQ(c["cpe"], "cpe:2.3:a:etcd:etcd:3.6.14:*:*:*:*:*:*:*");
  EXPECT_EQ(c["licenses"][0]["license"]["id"], "Apache-2.0");
  EXPECT_EQ(c["hashes"][0]["alg"], "SHA-256");
  EXPECT_EQ(c["hashes"][0]["content"], Dep().sha256);
  EXPECT_EQ(bom["serialNumber"].get<std::string>().size(), std::string("urn:uuid:").size() + 36);
}

TEST(SbomTest, SpdxDescribesThePackage) {
  const auto doc = nlohmann::json::parse(Spdx(Dep(), "tool 1.0"));
  EXPECT_EQ(doc["spdxVersion"], "SPDX-2.3");
  EXPECT_EQ(doc["dataLicense"], "CC0-1.0");
  const auto& p = doc["packages"][0];
  EXPECT_EQ(p["name"], "etcd");
  EXPECT_EQ(p["versionInfo"], "3.6.14");
  EXPECT_EQ(p["licenseDeclared"], "Apache-2.0");
  EXPECT_EQ(p["checksums"][0]["checksumValue"], Dep().sha256);
  EXPECT_EQ(p["externalRefs"][0]["referenceType"], "purl");
  EXPECT_EQ(p["externalRefs"][1]["referenceType"], "cpe23Type");
  EXPECT_EQ(doc["relationships"][0]["relatedSpdxElement"], p["SPDXID"]);
}

TEST(SbomTest, DocumentsAreReproducibleAndDistinctPerDependency) {
  EXPECT_EQ(CycloneDx(Dep(), "t"), CycloneDx(Dep(), "t"));
  EXPECT_EQ(Spdx(Dep(), "t"), Spdx(Dep(), "t"));
  Dependency other = Dep();
  other.sha256 = std::string(64, 'e');
  EXPECT_NE(nlohmann::json::parse(CycloneDx(other, "t"))["serialNumber"],
            nlohmann::json::parse(CycloneDx(Dep(), "t"))["serialNumber"]);
}

// The case: the same etcd installed from two download URLs must not share a namespace.
TEST(SbomTest, NamespaceAndSerialFollowTheWholeContent) {
  Dependency mirrored = Dep();
  mirrored.uri = "https://mirror.example.com/etcd.tgz";
  const auto namespace_of = [](const Dependency& d) {
    return nlohmann::json::parse(Spdx(d, "t"))["documentNamespace"].get<std::string>();
  };
  const auto serial_of = [](const Dependency& d) {
    return nlohmann::json::parse(CycloneDx(d, "t"))["serialNumber"].get<std::string>();
  };
  EXPECT_EQ(namespace_of(Dep()), namespace_of(Dep()));
  EXPECT_NE(namespace_of(mirrored), namespace_of(Dep()));
  EXPECT_NE(serial_of(mirrored), serial_of(Dep()));
  Dependency relicensed = Dep();
  relicensed.licenses = {"MIT"};
  EXPECT_NE(namespace_of(relicensed), namespace_of(Dep()));
  EXPECT_NE(nlohmann::json::parse(Spdx(Dep(), "other tool"))["documentNamespace"],
            namespace_of(Dep()));
  EXPECT_EQ(namespace_of(Dep()).rfind(
                "https://github.com/etcdproxy/etcd-proxy-buildpack/spdx/etcd-3.6.14-", 0),
            0u);
}

TEST(SbomTest, PurlsAreWrittenCanonicallyAndBadOnesLeftOut) {
  Dependency dep = Dep();
  dep.purl = "pkg:generic/etcd@3.6.14?download_url=https://github.com/a%2Bb.tgz&arch=amd64";
  const std::string canonical =
      "pkg:generic/etcd@3.6.14?arch=amd64&download_url=https:%2F%2Fgithub.com%2Fa%2Bb.tgz";
  const auto bom = nlohmann::json::parse(CycloneDx(dep, "t"));
  EXPECT_EQ(bom["components"][0]["purl"], canonical);
  EXPECT_EQ(bom["components"][0]["bom-ref"], canonical);
  const auto doc = nlohmann::json::parse(Spdx(dep, "t"));
  EXPECT_EQ(doc["packages"][0]["externalRefs"][0]["referenceLocator"], canonical);
  dep.purl = "not a purl";
  EXPECT_FALSE(nlohmann::json::parse(CycloneDx(dep, "t"))["components"][0].contains("purl"));
  EXPECT_THAT(Spdx(dep, "t"), Not(HasSubstr("not a purl")));
}

TEST(SbomTest, LinkedLibrariesAreContainedInTheSubject) {
  SbomDocument document;
  document.name = "etcd-proxy-0.1.0";
  document.tool = "t";
  document.subject = {
      "etcd-proxy", "0.1.0", "pkg:generic/etcd-proxy@0.1.0", {}, {"Apache-2.0"}, Dep().sha256,
      "",           ""};
  document.linked.push_back(
      {"toml++", "3.4.0", "pkg:generic/tomlplusplus@3.4.0", {}, {"MIT"}, "", "", ""});
  document.linked.push_back({"openssl",
                             "3.0.17",
                             "pkg:generic/openssl@3.0.17",
                             {"cpe:2.3:a:openssl:openssl:3.0.17:*:*:*:*:*:*:*"},
                             {"Apache-2.0"},
                             "",
                             "",
                             ""});
  const auto bom = nlohmann::json::parse(CycloneDx(document));
  ASSERT_EQ(bom["components"].size(), 3u);
  EXPECT_EQ(bom["components"][0]["type"], "application");
  EXPECT_EQ(bom["components"][2]["type"], "library");
  EXPECT_EQ(bom["components"][2]["cpe"], "cpe:2.3:a:openssl:openssl:3.0.17:*:*:*:*:*:*:*");
  EXPECT_EQ(bom["dependencies"][0]["ref"], "pkg:generic/etcd-proxy@0.1.0");
  EXPECT_EQ(bom["dependencies"][0]["dependsOn"][1], "pkg:generic/openssl@3.0.17");
  const auto doc = nlohmann::json::parse(Spdx(document));
  ASSERT_EQ(doc["packages"].size(), 3u);
  EXPECT_EQ(doc["packages"][1]["SPDXID"], "SPDXRef-Package-toml---3.4.0");
  EXPECT_EQ(doc["packages"][1]["downloadLocation"], "NOASSERTION");
  EXPECT_FALSE(doc["packages"][1].contains("checksums"));
  ASSERT_EQ(doc["relationships"].size(), 3u);
  EXPECT_EQ(doc["relationships"][2]["spdxElementId"], "SPDXRef-Package-etcd-proxy-0.1.0");
  EXPECT_EQ(doc["relationships"][2]["relationshipType"], "CONTAINS");
  EXPECT_EQ(doc["relationships"][2]["relatedSpdxElement"], doc["packages"][2]["SPDXID"]);
}

TEST(SbomTest, PrivateUriCredentialsStayOut) {
  Dependency dep = Dep();
  dep.uri = "https://user:s3cret@mirror.internal/etcd.tgz?token=t0ken";
  for (const std::string& doc : {CycloneDx(dep, "t"), Spdx(dep, "t")}) {
    EXPECT_THAT(doc, Not(HasSubstr("s3cret")));
    EXPECT_THAT(doc, Not(HasSubstr("t0ken")));
    EXPECT_THAT(doc, HasSubstr("https://***@mirror.internal/etcd.tgz"));
  }
}

TEST(SbomTest, WritesBothFilesBesideTheLayer) {
  ScopedTempDir tmp = testing::MakeTempDir();
  ASSERT_TRUE(WriteLayerSboms(tmp.path(), "etcd", Dep(), "t").ok());
  EXPECT_TRUE(fs::exists(tmp.path() / "etcd.sbom.cdx.json"));
  EXPECT_TRUE(fs::exists(tmp.path() / "etcd.sbom.spdx.json"));
}

}  // namespace
}  // namespace bp
