#include "cnb/sbom.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/test_util.h"

namespace bp {
namespace {

Dependency Dep() {
  Dependency dep = testing::MakeDependency("3.6.14", "https://github.com/etcd-io/etcd/etcd.tgz", "body", "amd64");
  dep.purl = "pkg:generic/etcd@3.6.14?arch=amd64";
  return dep;
}

TEST(SbomTest, CycloneDxNamesEtcdVersionPurlCpeLicenceAndDigest) {
  const auto bom = nlohmann::json::parse(CycloneDxJson(Dep(), "tool 1.0"));
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
  const auto doc = nlohmann::json::parse(SpdxJson(Dep(), "tool 1.0"));
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
  EXPECT_EQ(CycloneDxJson(Dep(), "t"), CycloneDxJson(Dep(), "t"));
  EXPECT_EQ(SpdxJson(Dep(), "t"), SpdxJson(Dep(), "t"));
  Dependency other = Dep();
  other.sha256 = std::string(64, 'e');
  EXPECT_NE(nlohmann::json::parse(CycloneDxJson(other, "t"))["serialNumber"],
            nlohmann::json::parse(CycloneDxJson(Dep(), "t"))["serialNumber"]);
}

TEST(SbomTest, PrivateUriCredentialsStayOut) {
  Dependency dep = Dep();
  dep.uri = "https://user:s3cret@mirror.internal/etcd.tgz?token=t0ken";
  for (const std::string& doc : {CycloneDxJson(dep, "t"), SpdxJson(dep, "t")}) {
    EXPECT_EQ(doc.find("s3cret"), std::string::npos);
    EXPECT_EQ(doc.find("t0ken"), std::string::npos);
    EXPECT_NE(doc.find("https://***@mirror.internal/etcd.tgz"), std::string::npos);
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
