// Contributing a cached layer: decide from the restored metadata whether the layer can be kept,
// (re)install it when not, then write its <name>.toml. [types] is rewritten even on reuse,
// because the lifecycle restores only [metadata] and drops a layer whose types are not set.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "base/clock.h"
#include "base/log.h"
#include "base/result.h"
#include "cnb/layer.h"
#include "cnb/layer_metadata.h"

namespace bp {

namespace fs = std::filesystem;

struct LayerContribution {
  std::string name;         // the layer directory under <layers>
  std::string description;  // for the log: "etcd 3.6.14"
  LayerTypes types;
  // Fills <layers>/<name> from scratch (and may write the layer's SBOMs beside it); the old
  // layer and its SBOMs are removed before this is called, so a failure leaves no layer at all
  // rather than a half-filled one.
  std::function<Status(const fs::path& layer_dir)> install;
};

enum class Contribution { kReused, kInstalled };

// Carries out `decision` for `layer`: keeps the restored layer, or replaces it through
// `layer.install`; logs which, and how long an install took. Then writes <name>.toml with
// `wanted` and the files the layer holds.
Result<Contribution> ApplyReuseDecision(const fs::path& layers_dir, const LayerContribution& layer,
                                        const ReuseDecision& decision, const LayerMetadata& wanted,
                                        const RestoredLayer& restored, Logger& log,
                                        const Clock& now);

// Keeps the restored layer when its metadata reads back equal to `wanted` (layer_metadata.h) and
// all its files came back, else replaces it through `layer.install`.
template <typename Metadata>
Result<Contribution> ContributeLayer(const fs::path& layers_dir, const LayerContribution& layer,
                                     const Metadata& wanted, Logger& log, const Clock& now) {
  const RestoredLayer restored = ReadRestoredLayer(layers_dir, layer.name);
  return ApplyReuseDecision(layers_dir, layer, DecideReuse(restored, wanted),
                            ToLayerMetadata(wanted), restored, log, now);
}

}  // namespace bp
