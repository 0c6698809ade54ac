#include "cnb/contribute.h"

namespace bp {

Result<Contribution> ApplyReuseDecision(const fs::path& layers_dir, const LayerContribution& layer,
                                        const ReuseDecision& decision, const LayerMetadata& wanted,
                                        const RestoredLayer& restored, Logger& log,
                                        const Clock& now) {
  const fs::path layer_dir = layers_dir / layer.name;
  Contribution outcome = Contribution::kReused;
  if (decision.action == Reuse::kKeep) {
    log.Subprocess("Reusing cached layer " + layer_dir.string());
  } else {
    log.Subprocess("Installing " + layer.description + " (" + decision.reason + ")");
    // Invalidate first: if this build dies halfway, the next one must not trust the old metadata.
    Status removed = RemoveLayer(layers_dir, layer.name);
    if (!removed.ok()) return removed.error();
    const auto start = now();
    Status installed = layer.install(layer_dir);
    if (!installed.ok()) return installed.error();
    log.Action("Completed in " + FormatDuration(now() - start));
    outcome = Contribution::kInstalled;
  }
  LayerMetadata recorded = wanted;
  // A kept layer holds exactly what it recorded (every listed file came back).
  recorded[kLayerFilesKey] =
      outcome == Contribution::kReused ? restored.inventory : LayerFileInventory(layer_dir);
  Status written = WriteLayerToml(layers_dir, layer.name, layer.types, recorded);
  if (!written.ok()) return written.error();
  return outcome;
}

}  // namespace bp
