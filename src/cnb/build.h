// bin/build: the CNB build phase. In order:
//   resolve the etcd version (BP_ETCD_VERSION > build plan > default-versions)
//   → read and check where it may come from (bindings, mirrors; dependency/source.h)
//   → contribute the `etcd` layer (reuse, or fetch → verify → extract → check; etcd_layer.h)
//   → contribute the `helper` layer (the etcd-proxy launch helper and its SBOMs; helper_layer.h)
//   → write launch.toml (the non-default `etcd-proxy` process).
#pragma once

#include "base/result.h"
#include "cnb/context.h"
#include "dependency/services.h"

namespace bp {

Status Build(const BuildContext& context, Services& services);

}  // namespace bp
