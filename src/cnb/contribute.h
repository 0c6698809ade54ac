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

namespace bp {

namespace fs = std::filesystem;

struct LayerContribution {
  std::string name;         // the layer directory under <layers>
  std::string description;  // for the log: "etcd 3.6.14"
  LayerMetadata wanted;     // what the layer must hold; strings only
  LayerTypes types;
  // Fills <layers>/<name> from scratch; the old layer is removed before this is called, so a
  // failure leaves no layer at all rather than a half-filled one.
  std::function<Status(const fs::path& layer_dir)> install;
};

enum class Contribution { kReused, kInstalled };

// Keeps the restored layer when it is what `layer` wants and all its files came back, else
// replaces it through `layer.install`; logs which, and how long an install took.
Result<Contribution> ContributeLayer(const fs::path& layers_dir, const LayerContribution& layer,
                                     Logger& log, const Clock& now);

}  // namespace bp
