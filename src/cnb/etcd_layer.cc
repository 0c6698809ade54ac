#include "cnb/etcd_layer.h"

#include "base/strings.h"
#include "base/url.h"
#include "cnb/contribute.h"
#include "cnb/layer_metadata.h"
#include "cnb/sbom.h"

namespace bp {

namespace {

// Returns the metadata of a layer holding release `dep` for `target`, placed as `etcd` describes.
EtcdLayerMetadata EtcdLayerMetadataFor(const Provision& etcd, const Dependency& dep,
                                       const Target& target) {
  EtcdLayerMetadata metadata;
  metadata.version = dep.version;
  metadata.sha256 = dep.sha256;
  metadata.os = target.os;
  metadata.arch = target.arch;
  metadata.layout = kLayerLayout;
  metadata.places = LayoutKey(etcd);
  return metadata;
}

}  // namespace

bool operator==(const EtcdLayerMetadata& a, const EtcdLayerMetadata& b) {
  return SameLayerMetadata(a, b);
}

Status ContributeEtcdLayer(const BuildContext& context, const Provision& etcd,
                           const Dependency& dep, const SourceSettings& sources,
                           Services& services) {
  Logger& log = services.log;
  LayerContribution layer;
  layer.name = kEtcdLayer;
  layer.description = "etcd " + dep.version;
  layer.types = LaunchAndCacheLayer();
  layer.install = [&](const fs::path& layer_dir) -> Status {
    ReleaseDelivery delivery{dep, layer_dir, context.target, sources,
                             [&log](const ArtifactSource& source) {
                               log.Action("Source: " + source.label + " " + RedactUrl(source.uri));
                             }};
    Result<ArchiveReport> report =
        InstallRelease(etcd, delivery, services.fetcher, services.retry, log);
    if (!report.ok()) return report.error();
    log.Action("Installed " + Join(report.value().placed, ", ") + " (" +
               std::to_string(report.value().bytes) + " bytes downloaded)");
    return Ok();
  };
  log.Process("Contributing etcd layer");
  Result<Contribution> done =
      ContributeLayer(context.layers_dir, layer, EtcdLayerMetadataFor(etcd, dep, context.target),
                      log, services.now);
  if (!done.ok()) return done.error();
  return WriteLayerSboms(context.layers_dir, kEtcdLayer, dep, kSbomTool);
}

}  // namespace bp
