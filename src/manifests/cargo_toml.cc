// Rust: Cargo.toml's dependency tables (dependencies, dev-dependencies, build-dependencies, their
// per-target forms and [workspace.dependencies]). A renamed dependency (`etcd = { package =
// "etcd-client" }`) counts; a key etcd-client that renames another package does not.
#include <array>

#include "manifests/manifest_text.h"
#include "manifests/parsers.h"

namespace bp::manifests {

namespace {

constexpr char kRustClient[] = "etcd-client";
constexpr std::array<const char*, 5> kDependencyTables = {"dependencies", "dev-dependencies",
                                                          "build-dependencies", "dev_dependencies",
                                                          "build_dependencies"};

bool TableDeclaresClient(toml::node_view<const toml::node> node) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return false;
  for (const auto& [key, spec] : *table) {
    const std::string package = TomlString(toml::node_view<const toml::node>(spec)["package"]);
    if (package.empty() ? key.str() == kRustClient : package == kRustClient) return true;
  }
  return false;
}

bool SectionsDeclareClient(toml::node_view<const toml::node> owner) {
  for (const char* name : kDependencyTables) {
    if (TableDeclaresClient(owner[name])) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> RustClientInCargoToml(std::string_view text) {
  const std::optional<toml::table> doc = TomlOrNothing(text);
  if (!doc) return std::nullopt;
  const auto root = toml::node_view<const toml::node>(*doc);
  bool found =
      SectionsDeclareClient(root) || TableDeclaresClient(root["workspace"]["dependencies"]);
  if (const toml::table* targets = root["target"].as_table(); !found && targets != nullptr) {
    for (const auto& [cfg, target] : *targets) {
      found = found || SectionsDeclareClient(toml::node_view<const toml::node>(target));
    }
  }
  if (!found) return std::nullopt;
  return std::string(kRustClient);
}

}  // namespace bp::manifests
