#include "cnb/layer.h"

#include <algorithm>
#include <system_error>
#include <vector>

#include "base/files.h"
#include "base/strings.h"
#include "base/toml_fields.h"

namespace bp {

namespace {

fs::path TomlPath(const fs::path& layers_dir, std::string_view name) {
  return layers_dir / (std::string(name) + ".toml");
}

// Returns the first path of `inventory` that is not a regular file under `layer_dir`, or "".
std::string FirstMissingFile(const fs::path& layer_dir, std::string_view inventory) {
  if (inventory.empty()) return "file list";
  std::error_code ec;
  for (const std::string& file : SplitList(inventory, ',')) {
    if (!fs::is_regular_file(layer_dir / file, ec)) return file;
  }
  return "";
}

}  // namespace

std::optional<LayerMetadata> ReadLayerMetadata(const fs::path& layers_dir, std::string_view name,
                                               std::string* why) {
  const fs::path path = TomlPath(layers_dir, name);
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    *why = "no cached layer";
    return std::nullopt;
  }
  Result<std::string> text = ReadSmallFile(path, kMaxSettingBytes);
  if (!text.ok()) {
    *why = "the cached metadata is unreadable";
    return std::nullopt;
  }
  Result<toml::table> parsed = ParseToml(text.value(), path.filename().string());
  if (!parsed.ok()) {
    *why = "the cached metadata is not valid TOML";
    return std::nullopt;
  }
  const toml::table* table = parsed.value()["metadata"].as_table();
  if (table == nullptr) {
    *why = "the cached layer has no metadata";
    return std::nullopt;
  }
  LayerMetadata metadata;
  for (const auto& [key, value] : *table) {
    const auto* text_value = value.as_string();
    if (text_value == nullptr) {
      *why = "the cached metadata has a non-string " + std::string(key.str());
      return std::nullopt;
    }
    metadata[std::string(key.str())] = text_value->get();
  }
  return metadata;
}

std::string LayerFileInventory(const fs::path& layer_dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(layer_dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const fs::file_status status = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_regular_file(status) || fs::is_symlink(status)) {
      files.push_back(it->path().lexically_relative(layer_dir).generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  return Join(files, ",");
}

RestoredLayer ReadRestoredLayer(const fs::path& layers_dir, std::string_view name) {
  RestoredLayer restored;
  restored.metadata = ReadLayerMetadata(layers_dir, name, &restored.unusable_reason);
  if (!restored.metadata) return restored;
  // Every file the layer held when it was contributed must have come back, not just one.
  const auto files = restored.metadata->find(kLayerFilesKey);
  if (files != restored.metadata->end()) {
    restored.inventory = files->second;
    restored.metadata->erase(files);
  }
  restored.missing_file = FirstMissingFile(layers_dir / std::string(name), restored.inventory);
  return restored;
}

std::string UnmatchedKeys(const LayerMetadata& fields, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    if (fields.count(key) == 0) return key + " was not recorded";
  }
  if (fields.size() != keys.size()) return "its metadata has extra keys";
  return "";
}

std::string FirstChange(const LayerMetadata& restored, const LayerMetadata& wanted,
                        const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    const auto was = restored.find(key);
    const auto want = wanted.find(key);
    if (was == restored.end() || want == wanted.end() || was->second == want->second) continue;
    if (key == "sha256") return "the archive checksum changed";
    return key + " " + was->second + " → " + want->second;
  }
  return "";
}

std::string LayerToml(const LayerTypes& types, const LayerMetadata& metadata) {
  toml::table meta;
  for (const auto& [key, value] : metadata) meta.insert(key, value);
  toml::table root{
      {"types",
       toml::table{{"launch", types.launch}, {"build", types.build}, {"cache", types.cache}}},
      {"metadata", std::move(meta)},
  };
  return ToTomlText(root);
}

Status WriteLayerToml(const fs::path& layers_dir, std::string_view name, const LayerTypes& types,
                      const LayerMetadata& metadata) {
  return WriteFileAtomic(TomlPath(layers_dir, name), LayerToml(types, metadata));
}

Status RemoveLayer(const fs::path& layers_dir, std::string_view name) {
  std::error_code ec;
  fs::remove(TomlPath(layers_dir, name), ec);
  if (ec)
    return MakeError(ErrorKind::kIo,
                     "cannot remove " + TomlPath(layers_dir, name).string() + ": " + ec.message());
  fs::remove_all(layers_dir / std::string(name), ec);
  if (ec)
    return MakeError(ErrorKind::kIo,
                     "cannot remove layer " + std::string(name) + ": " + ec.message());
  for (const char* format : {".sbom.cdx.json", ".sbom.spdx.json", ".sbom.syft.json"}) {
    fs::remove(layers_dir / (std::string(name) + format), ec);
  }
  return Ok();
}

}  // namespace bp
