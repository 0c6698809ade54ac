// The build plan: what detect promises (provides and requires etcd, with the version
// constraint and where it came from) and what build receives back (buildpacks/spec buildpack.md,
// "Build Plan (TOML)" and "Buildpack Plan (TOML)").
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "base/result.h"
#include "dependency/etcd.h"

namespace bp {

namespace fs = std::filesystem;

// The version-source detect writes when the constraint is buildpack.toml's default; build
// ignores such entries so a later default cannot override a real request.
inline constexpr char kDefaultVersionSource[] = "default-versions";

// Returns the TOML detect writes: provides etcd, requires etcd with
// [requires.metadata] version, version-source and launch = true.
std::string DetectPlanToml(const VersionRequest& request);

// Returns the first etcd entry of the buildpack plan at `path` that asks for a version
// (ignoring defaults); nullopt when there is none. kInvalidInput when the file is not TOML.
Result<std::optional<VersionRequest>> ReadPlanVersionRequest(const fs::path& path);

}  // namespace bp
