// Layers across builds. A layer's <name>.toml holds [types] and [metadata]; what the next
// build finds restored is only [metadata], after a JSON round trip (integers may come back as
// floats), plus the directory when the layer was cached. The metadata decides reuse:
// equal → keep the directory untouched and rewrite [types]; anything else → reinstall.
// buildpacks/spec buildpack.md "Layer Types", "Reusing Layers".
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bp {

namespace fs = std::filesystem;

// Every value is a string, so nothing changes type on the JSON round trip.
using LayerMetadata = std::map<std::string, std::string>;

struct LayerTypes {
  bool launch = false;
  bool build = false;
  bool cache = false;
};

// The types of a layer the app runs with and the next build may restore.
constexpr LayerTypes LaunchAndCacheLayer() {
  LayerTypes types;
  types.launch = true;
  types.cache = true;
  return types;
}

// Returns the restored [metadata] of layer `name`, or nullopt with `why` set when there is no
// usable metadata: missing file, not TOML, no [metadata] table, or a value that is not a string.
std::optional<LayerMetadata> ReadLayerMetadata(const fs::path& layers_dir, std::string_view name,
                                               std::string* why);

enum class Reuse { kKeep, kReplace };

struct ReuseDecision {
  Reuse action = Reuse::kReplace;
  std::string reason;  // why it is replaced, for the log
};

// The metadata key under which a contributed layer records every file it holds (comma-separated
// paths relative to the layer), so a restored layer missing any of them is reinstalled.
inline constexpr char kLayerFilesKey[] = "files";

// Returns the sorted, comma-separated relative paths of the regular files and symlinks under
// `layer_dir` (directories are implied by them).
std::string LayerFileInventory(const fs::path& layer_dir);

// Returns the first path of `inventory` (as LayerFileInventory writes it) that is not a regular
// file (after following links) under `layer_dir`, or "" when all are; an empty inventory reports
// "file list" missing.
std::string FirstMissingFile(const fs::path& layer_dir, std::string_view inventory);

// Pure: keep only when the restored metadata equals `wanted` (ignoring kLayerFilesKey, which
// records what was installed rather than what is wanted) and the contents came back too
// (`missing_file` names one that did not, as FirstMissingFile returns it; "" when all did).
ReuseDecision DecideReuse(const std::optional<LayerMetadata>& restored,
                          std::string_view unusable_reason, const LayerMetadata& wanted,
                          std::string_view missing_file);

// Returns the text of <name>.toml.
std::string LayerToml(const LayerTypes& types, const LayerMetadata& metadata);

// Writes <layers>/<name>.toml atomically.
Status WriteLayerToml(const fs::path& layers_dir, std::string_view name, const LayerTypes& types,
                      const LayerMetadata& metadata);

// Removes <name>.toml first (so a crash never leaves metadata describing missing contents),
// then the directory and its SBOM files.
Status RemoveLayer(const fs::path& layers_dir, std::string_view name);

}  // namespace bp
