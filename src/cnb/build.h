// bin/build: the CNB build phase. In order:
//   resolve the etcd version (BP_ETCD_VERSION > build plan > default-versions)
//   → contribute the `etcd` layer (reuse, or fetch → verify → extract → check, see dependency/)
//   → contribute the `helper` layer (the etcd-proxy launch helper)
//   → write the SBOMs and launch.toml (the non-default `etcd-proxy` process).
#pragma once

#include "base/result.h"
#include "cnb/context.h"
#include "dependency/services.h"

namespace bp {

inline constexpr char kEtcdLayer[] = "etcd";
inline constexpr char kHelperLayer[] = "helper";
// Bump when the layers' common format changes, so old cached layers are replaced.
// 2: the etcd tree holds its etcd-version record; 3: the metadata lists every file ("files").
// (What the etcd layer places is recorded separately, derived from its description: "places",
// LayoutKey in dependency/provision.h.)
inline constexpr char kLayerLayout[] = "3";

Status Build(const BuildContext& context, Services& services);

}  // namespace bp
