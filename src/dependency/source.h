// Where a dependency's file comes from. The first source that has it wins:
//   1. the offline package:  <buildpack>/dependencies/<sha256>/<file>
//   2. the download cache:   <cache>/dependencies/<sha256>/<file>   (Cloud Foundry's CACHE_DIR)
//   3. a dependency-mapping binding: an entry named <sha256> holding a URI
//   4. a mirror (see mirror.h)
//   5. the uri in buildpack.toml
// Once a source is chosen there is no silent fallback to the next: an air-gapped build with a
// mirror must never reach out to the internet behind the operator's back.
//
// The settings behind 3 and 4 are read and checked once, before any work, for the dependencies
// the phase may fetch (ReadSourceSettings): a bad mirror fails a build that reuses its layer or
// finds the file in the offline package exactly as it fails one that downloads.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/bindings.h"
#include "base/env.h"
#include "base/result.h"
#include "dependency/dependency.h"
#include "dependency/mirror.h"

namespace bp {

namespace fs = std::filesystem;

enum class SourceKind { kOfflinePackage, kDownloadCache, kMappingBinding, kMirror, kUpstream };

struct ArtifactSource {
  SourceKind kind = SourceKind::kUpstream;
  std::string uri;    // http(s):// or file://
  std::string label;  // for the log: "offline package", "mirror (BP_DEPENDENCY_MIRROR)", …
  bool IsLocal() const {
    return kind == SourceKind::kOfflinePackage || kind == SourceKind::kDownloadCache;
  }
};

// Everything that decides where a dependency's file comes from.
struct SourceSettings {
  fs::path buildpack_dir;         // holds the offline package's dependencies/; empty = none
  fs::path download_cache_dir;    // empty = none
  std::vector<Binding> bindings;  // dependency-mapping bindings are looked up by sha256
  MirrorSettings mirrors;
};

// Returns the source settings of a phase: the mirrors of `env` and `bindings` (ReadMirrorSettings)
// and the mapping bindings among `bindings`, checked for every dependency of `fetched`: the
// mirror or mapping entry that would serve it must be a usable URL (see ChooseSource).
Result<SourceSettings> ReadSourceSettings(const Env& env, std::vector<Binding> bindings,
                                          const fs::path& buildpack_dir,
                                          const fs::path& download_cache_dir,
                                          const std::vector<Dependency>& fetched);

// Returns the path where the offline package or download cache keeps `dep` under `root`.
fs::path CachedArtifactPath(const fs::path& root, const Dependency& dep);

// Returns the source to fetch `dep` from (see the order above). kInvalidInput, naming the binding
// and entry but never quoting it, when the mapping entry for `dep` is not an https://, http:// or
// file:// URL; kInvalidInput when the mirror for its host is not an https:// or file:// URL.
Result<ArtifactSource> ChooseSource(const Dependency& dep, const SourceSettings& settings);

}  // namespace bp
