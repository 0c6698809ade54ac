#include "cf/manifest_yml.h"

#include <algorithm>

#include "cf/cf_files.h"
#include "dependency/source.h"

namespace bp {

namespace {

// libbuildpack writes wildcards as "x".
std::string LibbuildpackConstraint(std::string constraint) {
  std::replace(constraint.begin(), constraint.end(), '*', 'x');
  return constraint;
}

}  // namespace

std::string CfManifestYml(const BuildpackDescriptor& descriptor, const ManifestOptions& options) {
  std::string yml =
      "---\n# Generated from buildpack.toml by scripts/package.sh; edit buildpack.toml instead.\n";
  yml += "language: etcdproxy\n";
  yml += "default_versions:\n";
  for (const auto& [name, version] : descriptor.default_versions) {
    yml += "- name: " + YamlQuote(name) +
           "\n  version: " + YamlQuote(LibbuildpackConstraint(version)) + "\n";
  }
  yml += "dependency_deprecation_dates: []\n";
  yml += "dependencies:\n";
  for (const Dependency& dep : descriptor.dependencies) {
    // Cloud Foundry stacks are linux/amd64.
    if ((!dep.os.empty() && dep.os != "linux") || (!dep.arch.empty() && dep.arch != "amd64"))
      continue;
    yml += "- name: " + YamlQuote(dep.name) + "\n";
    yml += "  version: " + YamlQuote(dep.version) + "\n";
    yml += "  uri: " + YamlQuote(dep.uri) + "\n";
    yml += "  sha256: " + YamlQuote(dep.sha256) + "\n";
    yml += "  cf_stacks:\n";
    for (const std::string& stack : descriptor.cf_stacks) yml += "  - " + YamlQuote(stack) + "\n";
    if (!dep.source.empty()) yml += "  source: " + YamlQuote(dep.source) + "\n";
    if (!dep.source_sha256.empty())
      yml += "  source_sha256: " + YamlQuote(dep.source_sha256) + "\n";
    if (options.cached)
      yml += "  file: " + YamlQuote(CachedArtifactPath("", dep).relative_path().string()) + "\n";
  }
  yml += "include_files:\n";
  for (const char* file : {"VERSION", "buildpack.toml", "manifest.yml", "bin/supply", "bin/compile",
                           "bin/detect", "bin/build", "bin/etcd-proxy"}) {
    yml += "- " + std::string(file) + "\n";
  }
  return yml;
}

}  // namespace bp
