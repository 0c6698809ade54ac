// buildpack.toml: the buildpack's identity and the single source of dependency truth
// (the Cloud Foundry manifest.yml is generated from it). Spec: buildpacks/spec buildpack.md.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/target.h"
#include "dependency/dependency.h"

namespace bp {

namespace fs = std::filesystem;

// One [[metadata.configurations]] entry: a setting the user may change.
struct Configuration {
  std::string name;
  std::string default_value;
  std::string description;
  bool build = false;
  bool launch = false;
};

struct BuildpackDescriptor {
  std::string api;
  std::string id;
  std::string name;
  std::string version;
  std::string homepage;
  std::vector<std::string> licenses;  // [[buildpack.licenses]] types (SPDX identifiers)
  std::vector<Target> targets;
  std::vector<std::string> sbom_formats;
  std::map<std::string, std::string> default_versions;  // [metadata.default-versions]
  std::vector<Dependency> dependencies;
  std::vector<Configuration> configurations;
  std::vector<std::string> cf_stacks;  // [metadata] cf-stacks, for the generated manifest.yml
};

// Parses buildpack.toml text; `origin` names the file in errors. Every dependency must have an
// id, a semver version, a uri and a 64-hex sha256 (`checksum = "sha256:…"` is accepted too).
Result<BuildpackDescriptor> ParseBuildpackToml(std::string_view text, std::string_view origin);

// Reads and parses <buildpack_dir>/buildpack.toml.
Result<BuildpackDescriptor> ReadBuildpackToml(const fs::path& buildpack_dir);

}  // namespace bp
