#include "cnb/contribute.h"

namespace bp {

Result<Contribution> ContributeLayer(const fs::path& layers_dir, const LayerContribution& layer,
                                     Logger& log, const Clock& now) {
  const fs::path layer_dir = layers_dir / layer.name;
  std::string unusable;
  const std::optional<LayerMetadata> restored =
      ReadLayerMetadata(layers_dir, layer.name, &unusable);
  // Every file the layer held when it was contributed must have come back, not just one.
  std::string inventory;
  if (restored && restored->count(kLayerFilesKey) != 0) inventory = restored->at(kLayerFilesKey);
  const std::string missing = restored ? FirstMissingFile(layer_dir, inventory) : "";
  const ReuseDecision decision = DecideReuse(restored, unusable, layer.wanted, missing);
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
  LayerMetadata recorded = layer.wanted;
  // A kept layer holds exactly what it recorded (every listed file came back).
  recorded[kLayerFilesKey] =
      outcome == Contribution::kReused ? inventory : LayerFileInventory(layer_dir);
  Status written = WriteLayerToml(layers_dir, layer.name, layer.types, recorded);
  if (!written.ok()) return written.error();
  return outcome;
}

}  // namespace bp
