#include "cnb/sbom.h"

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/strings.h"
#include "dependency/sha256.h"

namespace bp {

namespace {

using nlohmann::json;

// A name-based UUID (version 5 layout) derived from the dependency, so it is stable.
std::string StableUuid(const Dependency& dep) {
  std::string hex = Sha256Hex("etcd-proxy-buildpack sbom " + dep.id + " " + dep.version + " " + dep.sha256).substr(0, 32);
  hex[12] = '5';
  static constexpr char kVariant[] = "89ab";
  hex[16] = kVariant[(hex[16] - (hex[16] >= 'a' ? 'a' - 10 : '0')) & 3];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

std::string LicenseExpression(const Dependency& dep) {
  if (dep.licenses.empty()) return "NOASSERTION";
  std::string expression;
  for (const std::string& license : dep.licenses) {
    if (!expression.empty()) expression += " AND ";
    expression += license;
  }
  return expression;
}

}  // namespace

std::string CycloneDxJson(const Dependency& dep, std::string_view tool) {
  json component = {
      {"type", "application"},
      {"bom-ref", dep.purl.empty() ? dep.id + "@" + dep.version : dep.purl},
      {"name", dep.name},
      {"version", dep.version},
      {"hashes", json::array({{{"alg", "SHA-256"}, {"content", dep.sha256}}})},
  };
  if (!dep.purl.empty()) component["purl"] = dep.purl;
  if (!dep.cpes.empty()) component["cpe"] = dep.cpes.front();
  json licenses = json::array();
  for (const std::string& license : dep.licenses) licenses.push_back({{"license", {{"id", license}}}});
  if (!licenses.empty()) component["licenses"] = licenses;
  // Never the credentials of a private URI: the SBOM ships inside the app image.
  json references = json::array({{{"type", "distribution"}, {"url", RedactUrl(dep.uri)}}});
  if (!dep.source.empty()) references.push_back({{"type", "vcs"}, {"url", dep.source}});
  component["externalReferences"] = references;
  const json bom = {
      {"bomFormat", "CycloneDX"},
      {"specVersion", "1.4"},
      {"serialNumber", "urn:uuid:" + StableUuid(dep)},
      {"version", 1},
      {"metadata",
       {{"timestamp", kReproducibleTimestamp}, {"tools", json::array({{{"name", std::string(tool)}}})}}},
      {"components", json::array({component})},
  };
  return bom.dump(2) + "\n";
}

std::string SpdxJson(const Dependency& dep, std::string_view tool) {
  const std::string package_id = "SPDXRef-Package-" + dep.id + "-" + dep.version;
  json refs = json::array();
  if (!dep.purl.empty()) {
    refs.push_back({{"referenceCategory", "PACKAGE-MANAGER"}, {"referenceType", "purl"}, {"referenceLocator", dep.purl}});
  }
  for (const std::string& cpe : dep.cpes) {
    refs.push_back({{"referenceCategory", "SECURITY"}, {"referenceType", "cpe23Type"}, {"referenceLocator", cpe}});
  }
  const std::string license = LicenseExpression(dep);
  const json package = {
      {"SPDXID", package_id},
      {"name", dep.name},
      {"versionInfo", dep.version},
      {"downloadLocation", RedactUrl(dep.uri)},
      {"filesAnalyzed", false},
      {"licenseConcluded", license},
      {"licenseDeclared", license},
      {"copyrightText", "NOASSERTION"},
      {"checksums", json::array({{{"algorithm", "SHA256"}, {"checksumValue", dep.sha256}}})},
      {"externalRefs", refs},
  };
  const json document = {
      {"spdxVersion", "SPDX-2.3"},
      {"dataLicense", "CC0-1.0"},
      {"SPDXID", "SPDXRef-DOCUMENT"},
      {"name", dep.name + "-" + dep.version},
      {"documentNamespace", "https://github.com/etcdproxy/etcd-proxy-buildpack/spdx/" + StableUuid(dep)},
      {"creationInfo", {{"created", kReproducibleTimestamp}, {"creators", json::array({"Tool: " + std::string(tool)})}}},
      {"packages", json::array({package})},
      {"relationships", json::array({{{"spdxElementId", "SPDXRef-DOCUMENT"},
                                      {"relationshipType", "DESCRIBES"},
                                      {"relatedSpdxElement", package_id}}})},
  };
  return document.dump(2) + "\n";
}

Status WriteLayerSboms(const fs::path& layers_dir, std::string_view layer, const Dependency& dep, std::string_view tool) {
  const std::string name(layer);
  Status cdx = WriteFileAtomic(layers_dir / (name + ".sbom.cdx.json"), CycloneDxJson(dep, tool));
  if (!cdx.ok()) return cdx;
  return WriteFileAtomic(layers_dir / (name + ".sbom.spdx.json"), SpdxJson(dep, tool));
}

}  // namespace bp
