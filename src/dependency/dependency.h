// A dependency the buildpack can install, as buildpack.toml's [[metadata.dependencies]] lists it
// (Paketo-compatible keys), and the pure choice of which one a build gets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/target.h"
#include "base/version.h"

namespace bp {

struct Dependency {
  std::string id;       // "etcd"
  std::string name;     // "etcd"
  std::string version;  // "3.6.14"
  std::string uri;      // https://… upstream
  std::string sha256;   // lowercase hex of the file at `uri`
  std::string os;       // "linux"; empty = any
  std::string arch;     // "amd64"; empty = any
  std::string purl;
  std::vector<std::string> cpes;
  std::vector<std::string> licenses;  // SPDX identifiers
  std::string source;                 // upstream source archive
  std::string source_sha256;
  std::string deprecation_date;  // RFC 3339, optional
  int strip_components = 1;      // upstream tarballs have one top directory

  // Returns the last path segment of `uri` ("etcd-v3.6.14-linux-amd64.tar.gz").
  std::string FileName() const;
};

// Returns the highest version of dependency `id` for `target` that satisfies `constraint`.
// kNotFound names the target and lists the versions that do exist for it.
// `version_setting` is the setting the user changes to pick another version (for the hint).
Result<Dependency> ResolveDependency(const std::vector<Dependency>& dependencies,
                                     std::string_view id, const VersionConstraint& constraint,
                                     const Target& target, std::string_view version_setting);

}  // namespace bp
