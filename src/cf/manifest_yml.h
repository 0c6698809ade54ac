// The Cloud Foundry manifest.yml of a packaged buildpack (libbuildpack schema), generated from
// buildpack.toml so dependency facts live in one place. Pure.
#pragma once

#include <string>

#include "dependency/buildpack_toml.h"

namespace bp {

struct ManifestOptions {
  bool cached = false;  // add `file:` entries pointing into dependencies/<sha256>/<file>
};

// Returns manifest.yml: language etcdproxy, default_versions (3.6.* written 3.6.x), the linux/amd64
// dependencies with cf_stacks from [metadata] cf-stacks, include_files, and `file:` when cached.
std::string CfManifestYml(const BuildpackDescriptor& descriptor, const ManifestOptions& options);

}  // namespace bp
