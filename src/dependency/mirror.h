// Dependency mirrors with Paketo semantics: BP_DEPENDENCY_MIRROR for every host,
// BP_DEPENDENCY_MIRROR_<HOST> for one (GITHUB_COM → github.com, "__" → "-"), or a
// `dependency-mirror` binding with `default` and per-host entries; the environment wins.
// A mirror keeps the original path and may place the original host with {originalHost}:
//   https://mirror.example/{originalHost} + https://github.com/a/b.tgz
//     → https://mirror.example/github.com/a/b.tgz
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bindings.h"
#include "base/env.h"
#include "base/result.h"

namespace bp {

struct MirrorSettings {
  std::string default_mirror;
  std::string default_origin;                  // "BP_DEPENDENCY_MIRROR" or "binding 'x'"
  std::map<std::string, std::string> by_host;  // lowercase host → mirror
  std::map<std::string, std::string> host_origin;
};

// Returns the mirror settings from the environment and `dependency-mirror` bindings;
// kInvalidInput when there is more than one such binding.
Result<MirrorSettings> ReadMirrorSettings(const Env& env, const std::vector<Binding>& bindings);

struct MirroredUri {
  std::string uri;
  std::string origin;  // which setting chose it, for the log
};

// Returns `uri` rewritten onto the mirror that applies to its host, or nullopt when none does.
// kInvalidInput when the mirror is not an https:// or file:// URL.
Result<std::optional<MirroredUri>> ApplyMirror(const MirrorSettings& settings,
                                               std::string_view uri);

}  // namespace bp
