// Node.js: package.json. Every dependency section counts; an npm alias ("x": "npm:etcd3@^1")
// installs etcd3 under another name and counts too. Other fields (description, keywords,
// scripts) are never looked at.
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "manifests/parsers.h"

namespace bp::manifests {

namespace {

constexpr char kNodeClient[] = "etcd3";
// package.json nests a few levels; nlohmann builds every level of "[[[[…" before it finds the end
// missing, which costs seconds for a 1 MiB file. Deeper text is rejected before parsing.
constexpr int kMaxJsonNesting = 64;

bool NestsTooDeep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonNesting) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

bool IsClientSpec(const std::string& name, const nlohmann::json& spec) {
  if (name == kNodeClient) return true;
  if (!spec.is_string()) return false;
  const std::string& text = spec.get_ref<const std::string&>();
  return text == std::string("npm:") + kNodeClient ||
         StartsWith(text, std::string("npm:") + kNodeClient + "@");
}

}  // namespace

std::optional<std::string> NodeClientInPackageJson(std::string_view text) {
  if (NestsTooDeep(text)) return std::nullopt;
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return std::nullopt;  // also a parse error (discarded)
  for (const char* section :
       {"dependencies", "devDependencies", "optionalDependencies", "peerDependencies"}) {
    const auto found = doc.find(section);
    if (found == doc.end() || !found->is_object()) continue;
    for (const auto& [name, spec] : found->items()) {
      if (IsClientSpec(name, spec)) return std::string(kNodeClient);
    }
  }
  return std::nullopt;
}

}  // namespace bp::manifests
