// Layer SBOMs: CycloneDX 1.4 and SPDX 2.3 JSON documents describing what a layer holds, e.g. the
// etcd release (from buildpack.toml's metadata) or the launch helper and the libraries linked
// into it. Both must pass the official JSON schemas (integration/schemas/, checked by the tests).
//
// The documents are reproducible: the same content gives the same bytes. The CycloneDX
// serialNumber and the SPDX documentNamespace are derived from the whole rest of the document, so
// the same content keeps them and any difference changes them (SPDX 2.3 §6.5: one document per
// namespace URI).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "dependency/dependency.h"

namespace bp {

namespace fs = std::filesystem;

inline constexpr char kCycloneDxMediaType[] = "application/vnd.cyclonedx+json";
inline constexpr char kSpdxMediaType[] = "application/spdx+json";
// The producer named in every SBOM the build writes.
inline constexpr char kSbomTool[] = "etcd-proxy-buildpack";
// The lifecycle normalises image timestamps to this instant; the SBOMs use it too.
inline constexpr char kReproducibleTimestamp[] = "1980-01-01T00:00:01Z";

// One package an SBOM names.
struct SbomPackage {
  std::string name;
  std::string version;
  std::string purl;                   // written in canonical form; omitted when not a valid purl
  std::vector<std::string> cpes;      // CPE 2.3; CycloneDX takes the first
  std::vector<std::string> licenses;  // SPDX identifiers
  std::string sha256;                 // of the file it came from; optional
  std::string download_location;      // URL without credentials; optional
  std::string source;                 // upstream source archive; optional
};

// What a layer holds: `subject`, and the packages statically linked into it.
struct SbomDocument {
  std::string name;  // e.g. "etcd-3.6.14"
  std::string tool;  // the producer, e.g. "etcd-proxy-buildpack 0.1.0"
  SbomPackage subject;
  std::vector<SbomPackage> linked;
};

// Writes <layers>/<layer>.sbom.cdx.json (CycloneDX 1.4) and <layer>.sbom.spdx.json (SPDX 2.3).
Status WriteLayerSboms(const fs::path& layers_dir, std::string_view layer,
                       const SbomDocument& document);
// The same for the layer holding the installed dependency `dep` (credentials in its uri are
// redacted).
Status WriteLayerSboms(const fs::path& layers_dir, std::string_view layer, const Dependency& dep,
                       std::string_view tool);

}  // namespace bp
