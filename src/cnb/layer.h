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

// Returns the restored [metadata] of layer `name`, or nullopt with `why` set when there is no
// usable metadata: missing file, not TOML, no [metadata] table, or a value that is not a string.
std::optional<LayerMetadata> ReadLayerMetadata(const fs::path& layers_dir, std::string_view name, std::string* why);

enum class Reuse { kKeep, kReplace };

struct ReuseDecision {
  Reuse action = Reuse::kReplace;
  std::string reason;  // why it is replaced, for the log
};

// Pure: keep only when the restored metadata equals `wanted` and the contents came back too.
ReuseDecision DecideReuse(const std::optional<LayerMetadata>& restored, std::string_view unusable_reason,
                          const LayerMetadata& wanted, bool contents_present);

// Returns the text of <name>.toml.
std::string LayerToml(const LayerTypes& types, const LayerMetadata& metadata);

// Writes <layers>/<name>.toml atomically.
Status WriteLayerToml(const fs::path& layers_dir, std::string_view name, const LayerTypes& types,
                      const LayerMetadata& metadata);

// Removes <name>.toml first (so a crash never leaves metadata describing missing contents),
// then the directory and its SBOM files.
Status RemoveLayer(const fs::path& layers_dir, std::string_view name);

}  // namespace bp
