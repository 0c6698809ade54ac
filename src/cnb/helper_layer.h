// The `helper` layer: the etcd-proxy launch helper (bin/etcd-proxy), the exec.d program that
// starts the embedded proxy and the marker that tells exec.d which process is the sidecar. Its
// SBOMs (helper_sbom.h) are written when the layer is installed and kept with it: the lifecycle
// restores <layer>.sbom.*.json with a cached layer (docs/contracts.md, "CNB: layers between
// builds"), so a reused layer never runs the helper again.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "base/linked_components.h"
#include "base/result.h"
#include "cnb/context.h"
#include "cnb/helper_sbom.h"
#include "dependency/buildpack_toml.h"
#include "dependency/services.h"

namespace bp {

namespace fs = std::filesystem;

inline constexpr char kHelperLayer[] = "helper";

// What the helper layer records in helper.toml's [metadata] (see cnb/layer_metadata.h).
struct HelperLayerMetadata {
  std::string buildpack_version;
  std::string sha256;  // of bin/etcd-proxy
  std::string layout;  // kLayerLayout: the layers' common format
  std::string exec_d;  // the layout of exec.d (kHelperExecDLayout)

  // Visits every field with its key, in the order a replaced layer's log names a change.
  template <typename Self, typename Visit>
  static void ForEachField(Self& self, Visit&& visit) {
    visit("buildpack-version", self.buildpack_version);
    visit("exec-d", self.exec_d);
    visit("layout", self.layout);
    visit("sha256", self.sha256);
  }
};

bool operator==(const HelperLayerMetadata& a, const HelperLayerMetadata& b);

// Lists the libraries linked into the helper at the given path; ListHelperComponents runs it.
using ComponentLister = std::function<Result<std::vector<LinkedComponent>>(const fs::path& helper)>;

// Keeps the restored helper layer or installs the buildpack's bin/etcd-proxy into it, writing
// the layer's SBOMs from what `list_components` reports (a warning and no SBOM when this machine
// cannot run the helper).
Status ContributeHelperLayer(const BuildContext& context, const BuildpackDescriptor& descriptor,
                             Services& services,
                             const ComponentLister& list_components = ListHelperComponents);

}  // namespace bp
