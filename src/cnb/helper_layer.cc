#include "cnb/helper_layer.h"

#include <system_error>

#include "base/files.h"
#include "base/sha256.h"
#include "base/sidecar_marker.h"
#include "cnb/contribute.h"
#include "cnb/layer_metadata.h"
#include "cnb/sbom.h"

namespace bp {

namespace {

// The launcher runs exec.d/* before every process (src/launch/exec_d.h); it applies
// env.launch/etcd-proxy/ only for the etcd-proxy process, which is how exec.d tells it apart.
// Layout 2 renamed exec.d/etcd-proxy (which broke the etcd-proxy process type, see kExecDProgram)
// to exec.d/etcd-proxy+app: a layer built with layout 1 is replaced, not patched.
constexpr char kHelperExecDLayout[] = "2";

Status AddExecD(const fs::path& layer_dir) {
  std::error_code ec;
  fs::create_directories(layer_dir / "exec.d", ec);
  fs::create_directories(layer_dir / "env.launch" / kSidecarProcessType, ec);
  if (ec)
    return MakeError(ErrorKind::kIo, "cannot create the helper layer's exec.d: " + ec.message());
  Status linked = SymlinkAtomic("../bin/etcd-proxy", layer_dir / "exec.d" / kExecDProgram);
  if (!linked.ok()) return linked;
  return WriteFileAtomic(layer_dir / "env.launch" / kSidecarProcessType /
                             (std::string(kProcessTypeMarker) + ".override"),
                         kSidecarProcessType);
}

// Fills `layer_dir` with the helper and its exec.d wiring, staged beside it and renamed into
// place.
Status PlaceHelper(const fs::path& layers_dir, const fs::path& helper, const fs::path& layer_dir) {
  Result<ScopedTempDir> staging = ScopedTempDir::Create(layers_dir, ".helper.staging-");
  if (!staging.ok()) return staging.error();
  std::error_code ec;
  fs::permissions(staging.value().path(), fs::perms(0755), ec);  // mkdtemp makes it 0700
  fs::create_directory(staging.value().path() / "bin", ec);
  Status copied =
      CopyFileAtomic(helper, staging.value().path() / "bin" / "etcd-proxy", fs::perms(0755));
  if (!copied.ok()) return copied;
  Status wired = AddExecD(staging.value().path());
  if (!wired.ok()) return wired;
  Status placed = ReplaceDirectory(staging.value().path(), layer_dir);
  if (placed.ok()) staging.value().Release();
  return placed;
}

// Writes helper.sbom.*.json for the helper whose digest is `sha256`. The SBOM describes the
// executable the layer holds, which is a copy of the buildpack's (same digest).
Status WriteHelperSboms(const fs::path& layers_dir, const fs::path& helper,
                        const std::string& sha256, const BuildpackDescriptor& descriptor,
                        const ComponentLister& list_components, Logger& log) {
  Result<std::vector<LinkedComponent>> components = list_components(helper);
  if (!components.ok() && components.error().kind == ErrorKind::kUnavailable) {
    log.Warning(components.error().message + ": the helper layer gets no SBOM");
    return Ok();
  }
  if (!components.ok()) return components.error();
  return WriteLayerSboms(layers_dir, kHelperLayer,
                         HelperSbom(components.value(), sha256, descriptor, kSbomTool));
}

}  // namespace

bool operator==(const HelperLayerMetadata& a, const HelperLayerMetadata& b) {
  return SameLayerMetadata(a, b);
}

Status ContributeHelperLayer(const BuildContext& context, const BuildpackDescriptor& descriptor,
                             Services& services, const ComponentLister& list_components) {
  const fs::path helper = context.buildpack_dir / "bin" / "etcd-proxy";
  Result<std::string> digest = Sha256File(helper);
  if (!digest.ok()) return digest.error().Wrap("the launch helper is missing from the buildpack");
  const HelperLayerMetadata wanted{descriptor.version, digest.value(), kLayerLayout,
                                   kHelperExecDLayout};
  LayerContribution layer;
  layer.name = kHelperLayer;
  layer.description = "the etcd-proxy launch helper";
  layer.types = LaunchAndCacheLayer();
  layer.install = [&](const fs::path& layer_dir) -> Status {
    Status placed = PlaceHelper(context.layers_dir, helper, layer_dir);
    if (!placed.ok()) return placed;
    return WriteHelperSboms(context.layers_dir, helper, digest.value(), descriptor, list_components,
                            services.log);
  };
  services.log.Process("Contributing launch helper layer");
  Result<Contribution> done =
      ContributeLayer(context.layers_dir, layer, wanted, services.log, services.now);
  return done.ok() ? Ok() : Status(done.error());
}

}  // namespace bp
