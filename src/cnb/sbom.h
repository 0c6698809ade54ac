// Layer SBOMs for an installed dependency: CycloneDX 1.4 and SPDX 2.3 JSON, built from
// buildpack.toml's metadata (name, version, purl, CPEs, licences, sha256). The documents are
// reproducible: the same dependency gives the same bytes, so rebuilds export identical SBOMs.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.h"
#include "dependency/dependency.h"

namespace bp {

namespace fs = std::filesystem;

inline constexpr char kCycloneDxMediaType[] = "application/vnd.cyclonedx+json";
inline constexpr char kSpdxMediaType[] = "application/spdx+json";
// The lifecycle normalises image timestamps to this instant; the SBOMs use it too.
inline constexpr char kReproducibleTimestamp[] = "1980-01-01T00:00:01Z";

// `tool` names the producer, e.g. "etcd-proxy-buildpack 0.1.0".
std::string CycloneDxJson(const Dependency& dep, std::string_view tool);
std::string SpdxJson(const Dependency& dep, std::string_view tool);

// Writes <layers>/<layer>.sbom.cdx.json and <layer>.sbom.spdx.json.
Status WriteLayerSboms(const fs::path& layers_dir, std::string_view layer, const Dependency& dep, std::string_view tool);

}  // namespace bp
