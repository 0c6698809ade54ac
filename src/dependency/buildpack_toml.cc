#include "dependency/buildpack_toml.h"

#include "base/files.h"
#include "base/purl.h"
#include "base/strings.h"
#include "base/toml_fields.h"

namespace bp {

namespace {

// Collects the first error of a sequence of typed reads, so parsing code stays flat.
class FieldReader {
 public:
  std::string String(TomlView node, const std::string& what) {
    return Take(StringField(node, what), std::string());
  }
  bool Bool(TomlView node, const std::string& what, bool fallback) {
    return Take(BoolField(node, what, fallback), fallback);
  }
  long Int(TomlView node, const std::string& what, long fallback) {
    return Take(IntField(node, what, fallback), fallback);
  }
  std::vector<std::string> List(TomlView node, const std::string& what) {
    return Take(StringListField(node, what), std::vector<std::string>());
  }
  void Fail(std::string message) {
    if (!error_) error_ = MakeError(ErrorKind::kInvalidInput, std::move(message));
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  template <typename T>
  T Take(Result<T> result, T fallback) {
    if (result.ok()) return std::move(result).value();
    if (!error_) error_ = result.error();
    return fallback;
  }
  std::optional<Error> error_;
};

// Licenses are either SPDX strings or Paketo's tables with `type` (and `uri`).
std::vector<std::string> ReadLicenses(TomlView node, const std::string& what, FieldReader& read) {
  std::vector<std::string> licenses;
  const toml::array* array = node.as_array();
  if (!node || array == nullptr) return read.List(node, what);
  for (const toml::node& element : *array) {
    if (const auto* text = element.as_string()) {
      licenses.push_back(text->get());
    } else if (const auto* table = element.as_table()) {
      licenses.push_back(read.String(TomlView(table->get("type")), what + ".type"));
    } else {
      read.Fail(what + " must hold strings or tables with a type");
    }
  }
  return licenses;
}

Dependency ReadDependency(const toml::table& table, size_t index, FieldReader& read) {
  const std::string where = "[[metadata.dependencies]] #" + std::to_string(index + 1);
  const TomlView t(table);
  Dependency dep;
  dep.id = read.String(t["id"], where + " id");
  dep.name = read.String(t["name"], where + " name");
  dep.version = read.String(t["version"], where + " version");
  dep.uri = read.String(t["uri"], where + " uri");
  dep.sha256 = read.String(t["sha256"], where + " sha256");
  if (dep.sha256.empty()) {
    const std::string checksum = read.String(t["checksum"], where + " checksum");
    if (StartsWith(checksum, "sha256:")) dep.sha256 = checksum.substr(7);
  }
  dep.os = read.String(t["os"], where + " os");
  dep.arch = read.String(t["arch"], where + " arch");
  dep.purl = read.String(t["purl"], where + " purl");
  dep.cpes = read.List(t["cpes"], where + " cpes");
  dep.licenses = ReadLicenses(t["licenses"], where + " licenses", read);
  dep.source = read.String(t["source"], where + " source");
  dep.source_sha256 = read.String(t["source-sha256"], where + " source-sha256");
  dep.deprecation_date = read.String(t["deprecation_date"], where + " deprecation_date");
  const long strip = read.Int(t["strip-components"], where + " strip-components", 0);
  dep.strip_components = strip >= 0 && strip <= 8 ? static_cast<int>(strip) : -1;
  if (dep.name.empty()) dep.name = dep.id;
  if (!dep.purl.empty()) {
    Result<Purl> purl = ParsePurl(dep.purl);
    if (!purl.ok()) read.Fail(where + " purl: " + purl.error().message);
  }
  if (dep.id.empty()) read.Fail(where + " has no id");
  if (!ParseVersion(dep.version))
    read.Fail(where + " version " + Quote(dep.version) + " is not a semantic version");
  if (dep.uri.empty()) read.Fail(where + " has no uri");
  if (!IsSha256Hex(dep.sha256)) read.Fail(where + " sha256 must be 64 lowercase hex digits");
  if (dep.strip_components < 0 || dep.strip_components > 8)
    read.Fail(where + " strip-components is out of range");
  return dep;
}

void ReadMetadata(TomlView metadata, BuildpackDescriptor& bp, FieldReader& read) {
  bp.cf_stacks = read.List(metadata["cf-stacks"], "[metadata] cf-stacks");
  if (const toml::table* defaults = metadata["default-versions"].as_table()) {
    for (const auto& [key, value] : *defaults) {
      const std::string name(key.str());
      bp.default_versions[name] =
          read.String(TomlView(value), "[metadata.default-versions] " + name);
    }
  }
  if (const toml::array* deps = metadata["dependencies"].as_array()) {
    for (size_t i = 0; i < deps->size(); ++i) {
      if (const toml::table* table = deps->get(i)->as_table()) {
        bp.dependencies.push_back(ReadDependency(*table, i, read));
      } else {
        read.Fail("[[metadata.dependencies]] must be tables");
      }
    }
  }
  if (const toml::array* configs = metadata["configurations"].as_array()) {
    for (const toml::node& element : *configs) {
      const TomlView c(element);
      Configuration config;
      config.name = read.String(c["name"], "[[metadata.configurations]] name");
      config.default_value = read.String(c["default"], "[[metadata.configurations]] default");
      config.description = read.String(c["description"], "[[metadata.configurations]] description");
      config.build = read.Bool(c["build"], "[[metadata.configurations]] build", false);
      config.launch = read.Bool(c["launch"], "[[metadata.configurations]] launch", false);
      bp.configurations.push_back(std::move(config));
    }
  }
}

}  // namespace

Result<BuildpackDescriptor> ParseBuildpackToml(std::string_view text, std::string_view origin) {
  Result<toml::table> parsed = ParseToml(text, origin);
  if (!parsed.ok()) return parsed.error();
  const TomlView root(parsed.value());
  FieldReader read;
  BuildpackDescriptor bp;
  bp.api = read.String(root["api"], "api");
  bp.id = read.String(root["buildpack"]["id"], "[buildpack] id");
  bp.name = read.String(root["buildpack"]["name"], "[buildpack] name");
  bp.version = read.String(root["buildpack"]["version"], "[buildpack] version");
  bp.homepage = read.String(root["buildpack"]["homepage"], "[buildpack] homepage");
  bp.sbom_formats = read.List(root["buildpack"]["sbom-formats"], "[buildpack] sbom-formats");
  bp.licenses = ReadLicenses(root["buildpack"]["licenses"], "[[buildpack.licenses]]", read);
  if (const toml::array* targets = root["targets"].as_array()) {
    for (const toml::node& element : *targets) {
      const TomlView t(element);
      bp.targets.push_back(
          {read.String(t["os"], "[[targets]] os"), read.String(t["arch"], "[[targets]] arch")});
    }
  }
  ReadMetadata(root["metadata"], bp, read);
  if (bp.id.empty()) read.Fail("[buildpack] id is missing");
  if (bp.version.empty()) read.Fail("[buildpack] version is missing");
  if (read.error()) return read.error()->Wrap(std::string(origin));
  return bp;
}

Result<BuildpackDescriptor> ReadBuildpackToml(const fs::path& buildpack_dir) {
  const fs::path path = buildpack_dir / "buildpack.toml";
  Result<std::string> text = ReadSmallFile(path, kMaxSettingBytes);
  if (!text.ok()) return text.error();
  return ParseBuildpackToml(text.value(), path.string());
}

}  // namespace bp
