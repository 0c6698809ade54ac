// Fuzzes service bindings (base/bindings.h) and their consumers: etcd bindings as proxy settings
// (proxy_config/etcd_binding.h), dependency-mirror bindings (dependency/mirror.h) and
// dependency-mapping bindings (dependency/source.h). The input is a tiny text archive of a bindings
// root, one line per file, written to a fresh directory each run:
//   selector=NAME            BPL_ETCD_PROXY_BINDING (first line only)
//   BINDING/ENTRY=VALUE      a file (ENTRY may have subdirectories: "..data/type=etcd")
//   BINDING/ENTRY->TARGET    a symlink (relative, no "..": Kubernetes' ..data projection)
//   BINDING/ENTRY/           a directory
//   NAME=VALUE               a file directly in the root
// Names are capped and kept inside the root; lines that do not fit are ignored.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "base/bindings.h"
#include "base/strings.h"
#include "base/url.h"
#include "dependency/source.h"
#include "fuzz_util.h"
#include "proxy_checks.h"
#include "proxy_config/etcd_binding.h"

namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxLines = 48;
constexpr size_t kMaxName = 64;

bool ValidComponent(std::string_view name) {
  return !name.empty() && name.size() <= kMaxName && name != "." && name != ".." &&
         name.find('\0') == std::string_view::npos && name.find('/') == std::string_view::npos;
}

// A relative path of valid components.
bool ValidRelative(std::string_view path) {
  if (path.empty() || path.size() > 4 * kMaxName || path.front() == '/') return false;
  while (true) {
    const size_t slash = path.find('/');
    if (!ValidComponent(path.substr(0, slash))) return false;
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

bool Exists(const fs::path& path) {
  std::error_code ec;
  return fs::symlink_status(path, ec).type() != fs::file_type::not_found;
}

// Creates `path`'s parent directories (inside the root: no component is ".." and links stay in).
bool MakeParents(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  return !ec;
}

void Materialize(const fs::path& root, std::string_view line) {
  const size_t slash = line.find('/');
  const size_t eq = line.find('=');
  const size_t arrow = line.find("->");
  if (slash == std::string_view::npos || (eq != std::string_view::npos && eq < slash)) {
    if (eq == std::string_view::npos || !ValidComponent(line.substr(0, eq))) return;
    const fs::path file = root / std::string(line.substr(0, eq));
    if (!Exists(file)) bp_fuzz::WriteFile(file, line.substr(eq + 1));
    return;
  }
  if (eq != std::string_view::npos && (arrow == std::string_view::npos || eq < arrow)) {
    const std::string_view name = line.substr(0, eq);
    if (!ValidRelative(name)) return;
    const fs::path file = root / std::string(name);
    if (Exists(file) || !MakeParents(file)) return;
    std::error_code ec;
    if (!fs::is_directory(file.parent_path(), ec)) return;
    bp_fuzz::WriteFile(file, line.substr(eq + 1));
  } else if (arrow != std::string_view::npos) {
    const std::string_view name = line.substr(0, arrow);
    const std::string target(line.substr(arrow + 2));
    if (!ValidRelative(name) || !ValidRelative(target)) return;
    const fs::path link = root / std::string(name);
    if (Exists(link) || !MakeParents(link)) return;
    (void)::symlink(target.c_str(), link.c_str());
  } else if (line.back() == '/') {
    const std::string_view name = line.substr(0, line.size() - 1);
    if (!ValidRelative(name)) return;
    std::error_code ec;
    fs::create_directories(root / std::string(name), ec);
  }
}

bp::Dependency FixedDependency() {
  bp::Dependency dep;
  dep.id = "etcd";
  dep.name = "etcd";
  dep.version = "3.6.14";
  dep.uri =
      "https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd-v3.6.14-linux-amd64.tar.gz";
  dep.sha256 = "4c3e5e58ac5e2d1a2b9c0e4e6d3f1b2a5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f";
  dep.os = "linux";
  dep.arch = "amd64";
  return dep;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path root = bp_fuzz::ProcessTempDir() / "bindings";
  bp_fuzz::FreshDir(root);
  std::string_view text = bp_fuzz::AsText(data, size);
  std::optional<std::string> selector;
  for (size_t lines = 0; !text.empty() && lines < kMaxLines; ++lines) {
    const size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    if (line.empty()) continue;
    if (lines == 0 && bp::StartsWith(line, "selector=")) {
      selector = std::string(line.substr(9));
      continue;
    }
    Materialize(root, line);
  }

  bp::Result<std::vector<bp::Binding>> bindings = bp::ReadBindings(root);
  if (!bindings.ok()) {
    BP_FUZZ_CHECK(!bindings.error().message.empty(), "an error without a message");
    return 0;
  }
  const std::vector<bp::Binding>& list = bindings.value();
  for (size_t i = 0; i < list.size(); ++i) {
    const bp::Binding& b = list[i];
    BP_FUZZ_CHECK(i == 0 || list[i - 1].name < b.name, "bindings are not sorted by name");
    BP_FUZZ_CHECK(!bp::StartsWith(b.name, "."), "a dot directory was read as a binding: " + b.name);
    BP_FUZZ_CHECK(b.type == bp::ToLower(b.type), "a binding type is not lowercase");
    for (const auto& [entry, value] : b.entries) {
      BP_FUZZ_CHECK(!bp::StartsWith(entry, ".") && entry != "type" && entry != "provider",
                    "entry \"" + entry + "\" should not be listed");
      BP_FUZZ_CHECK(bp::Trim(value) == value, "entry \"" + entry + "\" is not trimmed");
    }
  }

  // Etcd bindings as proxy settings, then the command the helper would run.
  for (const std::optional<std::string>& choice : {selector, std::optional<std::string>()}) {
    bp::Result<std::optional<bp::ProxySettings>> settings = bp::SettingsFromBindings(list, choice);
    if (!settings.ok()) {
      BP_FUZZ_CHECK(settings.error().kind == bp::ErrorKind::kInvalidInput, "not kInvalidInput");
      continue;
    }
    if (settings.value()) bp_fuzz::CheckProxyCommand(*settings.value(), {});
  }

  // Mirror and mapping bindings decide where the etcd tarball comes from.
  const bp::Dependency dep = FixedDependency();
  bp::Result<bp::SourceSettings> sources = bp::ReadSourceSettings(bp::Env(), list, "", "", {dep});
  if (!sources.ok()) {
    BP_FUZZ_CHECK(sources.error().kind == bp::ErrorKind::kInvalidInput, "not kInvalidInput");
    return 0;
  }
  // The settings were checked for this dependency: choosing its source cannot fail any more.
  bp::Result<bp::ArtifactSource> source = bp::ChooseSource(dep, sources.value());
  BP_FUZZ_CHECK(source.ok(), "ReadSourceSettings accepted what ChooseSource refuses");
  const bp::ArtifactSource& chosen = source.value();
  BP_FUZZ_CHECK(!chosen.uri.empty() && !chosen.label.empty(), "a source without uri or label");
  BP_FUZZ_CHECK(!chosen.IsLocal(), "a local source without buildpack or cache directory");
  if (chosen.kind == bp::SourceKind::kMappingBinding) {
    const std::string scheme = bp::ToLower(chosen.uri.substr(0, chosen.uri.find("://") + 3));
    BP_FUZZ_CHECK(scheme == "https://" || scheme == "http://" || scheme == "file://",
                  "a mapping that is no download URL was taken as the source");
  }
  if (chosen.kind == bp::SourceKind::kMirror) {
    BP_FUZZ_CHECK(bp::StartsWith(chosen.uri, "https://") || bp::StartsWith(chosen.uri, "file://"),
                  "a mirror that is neither https:// nor file://: " + chosen.uri);
  }
  (void)bp::RedactUrl(chosen.uri);
  return 0;
}
