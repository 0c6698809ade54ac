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

// Names the most telling difference between two metadata maps, for the log.
std::string Difference(const LayerMetadata& restored, const LayerMetadata& wanted) {
  std::vector<std::string> keys = {"version", "arch", "os"};
  for (const auto& entry : wanted) keys.push_back(entry.first);
  for (const std::string& key : keys) {
    const auto want = wanted.find(key);
    if (want == wanted.end()) continue;
    const auto it = restored.find(key);
    if (it == restored.end()) return key + " was not recorded";
    if (it->second != want->second) {
      if (key == "sha256") return "the archive checksum changed";
      return key + " " + it->second + " → " + want->second;
    }
  }
  return "its metadata has extra keys";
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

std::string FirstMissingFile(const fs::path& layer_dir, std::string_view inventory) {
  if (inventory.empty()) return "file list";
  std::error_code ec;
  for (const std::string& file : SplitList(inventory, ',')) {
    if (!fs::is_regular_file(layer_dir / file, ec)) return file;
  }
  return "";
}

ReuseDecision DecideReuse(const std::optional<LayerMetadata>& restored,
                          std::string_view unusable_reason, const LayerMetadata& wanted,
                          std::string_view missing_file) {
  if (!restored) return {Reuse::kReplace, std::string(unusable_reason)};
  LayerMetadata comparable = *restored;
  comparable.erase(kLayerFilesKey);
  if (comparable != wanted) return {Reuse::kReplace, Difference(comparable, wanted)};
  if (!missing_file.empty()) {
    return {Reuse::kReplace,
            "the cached layer's " + std::string(missing_file) + " was not restored"};
  }
  return {Reuse::kKeep, ""};
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
