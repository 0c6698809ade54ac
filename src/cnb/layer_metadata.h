// Typed layer metadata, compared as a whole (as libcnb.rs and buildpacks-go compare theirs). A
// layer's metadata is a struct of strings that names each field's [metadata] key once, in the
// order the log compares them:
//
//   struct EtcdLayerMetadata {
//     std::string version;
//     …
//     template <typename Self, typename Visit>
//     static void ForEachField(Self& self, Visit&& visit) { visit("version", self.version); … }
//   };
//
// ToLayerMetadata writes it as <layer>.toml's [metadata]; FromLayerMetadata reads it back and
// refuses a table that lacks a key or has one the struct does not, so a renamed key replaces the
// cached layer with the reason in the log rather than comparing unequal in silence.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cnb/layer.h"

namespace bp {

// Returns `value` as [metadata] fields.
template <typename T>
LayerMetadata ToLayerMetadata(const T& value) {
  LayerMetadata fields;
  T::ForEachField(value,
                  [&fields](const char* key, const std::string& field) { fields[key] = field; });
  return fields;
}

// Returns the [metadata] keys of T, in its order.
template <typename T>
std::vector<std::string> LayerMetadataKeys() {
  std::vector<std::string> keys;
  const T empty{};
  T::ForEachField(empty, [&keys](const char* key, const std::string&) { keys.emplace_back(key); });
  return keys;
}

// Returns the T that `fields` hold, or nullopt with `why` set when a key is missing or extra.
template <typename T>
std::optional<T> FromLayerMetadata(const LayerMetadata& fields, std::string* why) {
  *why = UnmatchedKeys(fields, LayerMetadataKeys<T>());
  if (!why->empty()) return std::nullopt;
  T value;
  T::ForEachField(value,
                  [&fields](const char* key, std::string& field) { field = fields.at(key); });
  return value;
}

// True when every field of `a` equals the same field of `b`.
template <typename T>
bool SameLayerMetadata(const T& a, const T& b) {
  return ToLayerMetadata(a) == ToLayerMetadata(b);
}

// Pure: keep only when the restored metadata reads back as a T equal to `wanted` and every file
// the layer recorded came back; else replace, saying why.
template <typename T>
ReuseDecision DecideReuse(const RestoredLayer& restored, const T& wanted) {
  if (!restored.metadata) return {Reuse::kReplace, restored.unusable_reason};
  std::string why;
  const std::optional<T> recorded = FromLayerMetadata<T>(*restored.metadata, &why);
  if (!recorded) return {Reuse::kReplace, why};
  if (!SameLayerMetadata(*recorded, wanted)) {
    return {Reuse::kReplace, FirstChange(ToLayerMetadata(*recorded), ToLayerMetadata(wanted),
                                         LayerMetadataKeys<T>())};
  }
  if (!restored.missing_file.empty()) {
    return {Reuse::kReplace, "the cached layer's " + restored.missing_file + " was not restored"};
  }
  return {Reuse::kKeep, ""};
}

}  // namespace bp
