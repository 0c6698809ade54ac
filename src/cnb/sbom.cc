#include "cnb/sbom.h"

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/purl.h"
#include "base/sha256.h"
#include "base/strings.h"
#include "base/url.h"

namespace bp {

namespace {

using nlohmann::json;

constexpr char kNamespaceBase[] = "https://github.com/etcdproxy/etcd-proxy-buildpack/spdx/";

// A UUID (version 5 layout) from the SHA-256 of `content`: the same content, the same UUID.
std::string ContentUuid(const json& content) {
  std::string hex = Sha256Hex(content.dump()).substr(0, 32);
  hex[12] = '5';
  static constexpr char kVariant[] = "89ab";
  hex[16] = kVariant[(hex[16] - (hex[16] >= 'a' ? 'a' - 10 : '0')) & 3];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string LicenseExpression(const SbomPackage& package) {
  if (package.licenses.empty()) return "NOASSERTION";
  return Join(package.licenses, " AND ");
}

// The purl in canonical form, or "" when it is not a purl (a bad one would fail the validators).
std::string CanonicalOrNothing(const std::string& purl) {
  Result<std::string> canonical = CanonicalPurl(purl);
  return canonical.ok() ? canonical.value() : std::string();
}

std::string BomRef(const SbomPackage& package) {
  const std::string purl = CanonicalOrNothing(package.purl);
  return purl.empty() ? package.name + "@" + package.version : purl;
}

json CycloneDxComponent(const SbomPackage& package, const char* type) {
  json component = {{"type", type},
                    {"bom-ref", BomRef(package)},
                    {"name", package.name},
                    {"version", package.version}};
  if (!package.sha256.empty())
    component["hashes"] = json::array({{{"alg", "SHA-256"}, {"content", package.sha256}}});
  if (const std::string purl = CanonicalOrNothing(package.purl); !purl.empty())
    component["purl"] = purl;
  if (!package.cpes.empty()) component["cpe"] = package.cpes.front();
  json licenses = json::array();
  for (const std::string& license : package.licenses)
    licenses.push_back({{"license", {{"id", license}}}});
  if (!licenses.empty()) component["licenses"] = licenses;
  json references = json::array();
  if (!package.download_location.empty())
    references.push_back({{"type", "distribution"}, {"url", package.download_location}});
  if (!package.source.empty()) references.push_back({{"type", "vcs"}, {"url", package.source}});
  if (!references.empty()) component["externalReferences"] = references;
  return component;
}

// An SPDX element id: "SPDXRef-" and letters, digits, '.' and '-' only.
std::string SpdxId(const SbomPackage& package) {
  std::string id = "SPDXRef-Package-" + package.name + "-" + package.version;
  for (size_t i = 8; i < id.size(); ++i) {
    const char c = id[i];
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!allowed) id[i] = '-';
  }
  return id;
}

json SpdxPackage(const SbomPackage& package) {
  json refs = json::array();
  if (const std::string purl = CanonicalOrNothing(package.purl); !purl.empty()) {
    refs.push_back({{"referenceCategory", "PACKAGE-MANAGER"},
                    {"referenceType", "purl"},
                    {"referenceLocator", purl}});
  }
  for (const std::string& cpe : package.cpes) {
    refs.push_back({{"referenceCategory", "SECURITY"},
                    {"referenceType", "cpe23Type"},
                    {"referenceLocator", cpe}});
  }
  const std::string license = LicenseExpression(package);
  json spdx = {
      {"SPDXID", SpdxId(package)},
      {"name", package.name},
      {"versionInfo", package.version},
      {"downloadLocation",
       package.download_location.empty() ? "NOASSERTION" : package.download_location},
      {"filesAnalyzed", false},
      {"licenseConcluded", license},
      {"licenseDeclared", license},
      {"copyrightText", "NOASSERTION"},
  };
  if (!package.sha256.empty()) {
    spdx["checksums"] = json::array({{{"algorithm", "SHA256"}, {"checksumValue", package.sha256}}});
  }
  if (!refs.empty()) spdx["externalRefs"] = refs;
  return spdx;
}

// The document describing an installed dependency.
SbomDocument DependencySbom(const Dependency& dep, std::string_view tool) {
  SbomPackage package;
  package.name = dep.name.empty() ? dep.id : dep.name;
  package.version = dep.version;
  package.purl = dep.purl;
  package.cpes = dep.cpes;
  package.licenses = dep.licenses;
  package.sha256 = dep.sha256;
  // Never the credentials of a private URI: the SBOM ships inside the app image.
  package.download_location = RedactUrl(dep.uri);
  package.source = dep.source;
  return SbomDocument{package.name + "-" + dep.version, std::string(tool), package, {}};
}

// CycloneDX 1.4: the subject as the application, each linked package as a library it depends on.
std::string CycloneDxJson(const SbomDocument& document) {
  json components = json::array({CycloneDxComponent(document.subject, "application")});
  json depends_on = json::array();
  for (const SbomPackage& package : document.linked) {
    components.push_back(CycloneDxComponent(package, "library"));
    depends_on.push_back(BomRef(package));
  }
  json bom = {
      {"bomFormat", "CycloneDX"},
      {"specVersion", "1.4"},
      {"version", 1},
      {"metadata",
       {{"timestamp", kReproducibleTimestamp},
        {"tools", json::array({{{"name", document.tool}}})}}},
      {"components", components},
  };
  if (!document.linked.empty()) {
    bom["dependencies"] =
        json::array({{{"ref", BomRef(document.subject)}, {"dependsOn", depends_on}}});
  }
  bom["serialNumber"] = "urn:uuid:" + ContentUuid(bom);
  return bom.dump(2) + "\n";
}

// SPDX 2.3: the document describes the subject, which contains each linked package.
std::string SpdxJson(const SbomDocument& document) {
  const std::string subject_id = SpdxId(document.subject);
  json packages = json::array({SpdxPackage(document.subject)});
  json relationships = json::array({{{"spdxElementId", "SPDXRef-DOCUMENT"},
                                     {"relationshipType", "DESCRIBES"},
                                     {"relatedSpdxElement", subject_id}}});
  for (const SbomPackage& package : document.linked) {
    packages.push_back(SpdxPackage(package));
    relationships.push_back({{"spdxElementId", subject_id},
                             {"relationshipType", "CONTAINS"},
                             {"relatedSpdxElement", SpdxId(package)}});
  }
  json spdx = {
      {"spdxVersion", "SPDX-2.3"},
      {"dataLicense", "CC0-1.0"},
      {"SPDXID", "SPDXRef-DOCUMENT"},
      {"name", document.name},
      {"creationInfo",
       {{"created", kReproducibleTimestamp},
        {"creators", json::array({"Tool: " + document.tool})}}},
      {"packages", packages},
      {"relationships", relationships},
  };
  spdx["documentNamespace"] =
      kNamespaceBase + PurlPercentEncode(document.name) + "-" + ContentUuid(spdx);
  return spdx.dump(2) + "\n";
}

}  // namespace

Status WriteLayerSboms(const fs::path& layers_dir, std::string_view layer,
                       const SbomDocument& document) {
  const std::string name(layer);
  Status cdx = WriteFileAtomic(layers_dir / (name + ".sbom.cdx.json"), CycloneDxJson(document));
  if (!cdx.ok()) return cdx;
  return WriteFileAtomic(layers_dir / (name + ".sbom.spdx.json"), SpdxJson(document));
}

Status WriteLayerSboms(const fs::path& layers_dir, std::string_view layer, const Dependency& dep,
                       std::string_view tool) {
  return WriteLayerSboms(layers_dir, layer, DependencySbom(dep, tool));
}

}  // namespace bp
