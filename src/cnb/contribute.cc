#include "cnb/contribute.h"

#include <system_error>

namespace bp {

Result<Contribution> ContributeLayer(const fs::path& layers_dir, const LayerContribution& layer, Services& services) {
  const fs::path layer_dir = layers_dir / layer.name;
  std::string unusable;
  const std::optional<LayerMetadata> restored = ReadLayerMetadata(layers_dir, layer.name, &unusable);
  std::error_code ec;
  const bool contents_present = fs::is_regular_file(layer_dir / layer.required_file, ec);
  const ReuseDecision decision = DecideReuse(restored, unusable, layer.wanted, contents_present);
  Contribution outcome = Contribution::kReused;
  if (decision.action == Reuse::kKeep) {
    services.log.Subprocess("Reusing cached layer " + layer_dir.string());
  } else {
    services.log.Subprocess("Installing " + layer.description + " (" + decision.reason + ")");
    // Invalidate first: if this build dies halfway, the next one must not trust the old metadata.
    Status removed = RemoveLayer(layers_dir, layer.name);
    if (!removed.ok()) return removed.error();
    const auto start = services.now();
    Status installed = layer.install(layer_dir);
    if (!installed.ok()) return installed.error();
    services.log.Action("Completed in " + FormatDuration(services.now() - start));
    outcome = Contribution::kInstalled;
  }
  Status written = WriteLayerToml(layers_dir, layer.name, layer.types, layer.wanted);
  if (!written.ok()) return written.error();
  return outcome;
}

}  // namespace bp
