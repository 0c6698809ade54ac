// The `etcd` layer: the release the provisioning pipeline installs (dependency/provision.h),
// reused while its metadata is unchanged and every file it held came back.
#pragma once

#include <string>

#include "base/result.h"
#include "cnb/context.h"
#include "dependency/dependency.h"
#include "dependency/provision.h"
#include "dependency/services.h"
#include "dependency/source.h"

namespace bp {

inline constexpr char kEtcdLayer[] = "etcd";

// What the etcd layer records in etcd.toml's [metadata] (see cnb/layer_metadata.h); a change to
// any field replaces the cached layer.
struct EtcdLayerMetadata {
  std::string version;  // of the release
  std::string sha256;   // of its archive
  std::string os;       // of the build's target
  std::string arch;
  std::string layout;  // kLayerLayout: the layers' common format
  std::string places;  // LayoutKey of the description: the files placed

  // Visits every field with its key, in the order a replaced layer's log names a change.
  template <typename Self, typename Visit>
  static void ForEachField(Self& self, Visit&& visit) {
    visit("version", self.version);
    visit("arch", self.arch);
    visit("os", self.os);
    visit("layout", self.layout);
    visit("places", self.places);
    visit("sha256", self.sha256);
  }
};

bool operator==(const EtcdLayerMetadata& a, const EtcdLayerMetadata& b);

// Keeps the restored etcd layer or installs `dep` into it from `sources` (the installer chooses
// the source), then writes the layer's SBOMs.
Status ContributeEtcdLayer(const BuildContext& context, const Provision& etcd,
                           const Dependency& dep, const SourceSettings& sources,
                           Services& services);

}  // namespace bp
