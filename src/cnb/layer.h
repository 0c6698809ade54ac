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
#include <vector>

#include "base/result.h"

namespace bp {

namespace fs = std::filesystem;

// A layer's [metadata] table. Every value is a string, so nothing changes type on the JSON round
// trip; layer_metadata.h reads and writes it as a typed struct.
using LayerMetadata = std::map<std::string, std::string>;

// Bump when the layers' common format changes, so old cached layers are replaced.
// 2: the etcd tree holds its etcd-version record; 3: the metadata lists every file ("files").
// (What the etcd layer places is recorded separately, derived from its description: "places",
// LayoutKey in dependency/provision.h.)
inline constexpr char kLayerLayout[] = "3";

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

// What the lifecycle restored of layer `name`: its [metadata] without the file list (nullopt when
// there is none usable, see ReadLayerMetadata), the files it recorded holding (kLayerFilesKey,
// as LayerFileInventory writes them) and the first of them that is not a regular file (after
// following links) under <layers>/<name>; a layer that recorded no files reports "file list".
struct RestoredLayer {
  std::optional<LayerMetadata> metadata;
  std::string unusable_reason;  // why `metadata` is empty
  std::string inventory;
  std::string missing_file;  // "" when every recorded file came back
};

// Returns what was restored of layer `name` under `layers_dir`.
RestoredLayer ReadRestoredLayer(const fs::path& layers_dir, std::string_view name);

// Returns why `fields` do not make a metadata struct with exactly the keys `keys` ("layout was
// not recorded", "its metadata has extra keys"), or "" when they do.
std::string UnmatchedKeys(const LayerMetadata& fields, const std::vector<std::string>& keys);

// Names the first of `keys` whose value differs between `restored` and `wanted`, for the log:
// "version 3.5.33 → 3.6.14".
std::string FirstChange(const LayerMetadata& restored, const LayerMetadata& wanted,
                        const std::vector<std::string>& keys);

// Returns the text of <name>.toml.
std::string LayerToml(const LayerTypes& types, const LayerMetadata& metadata);

// Writes <layers>/<name>.toml atomically.
Status WriteLayerToml(const fs::path& layers_dir, std::string_view name, const LayerTypes& types,
                      const LayerMetadata& metadata);

// Removes <name>.toml first (so a crash never leaves metadata describing missing contents),
// then the directory and its SBOM files.
Status RemoveLayer(const fs::path& layers_dir, std::string_view name);

}  // namespace bp
