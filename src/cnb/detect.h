// bin/detect: passes when the app needs etcd, so a builder can list this buildpack in
// every order group without putting etcd into every image. The app needs etcd when
// BP_ETCD_PROXY_ENABLED=true, BP_ETCD_VERSION is set, an etcd service binding is present at build
// time, or a dependency manifest declares an etcd client; BP_ETCD_PROXY_ENABLED=false wins over
// all of these. On pass it writes a plan that provides and requires etcd.
// For users: README, "How detection decides".
#pragma once

#include <string>

#include "base/result.h"
#include "cnb/context.h"

namespace bp {

struct DetectOutcome {
  bool pass = false;
  std::string reason;  // why it passed ("etcd client etcd3 in requirements.txt") or did not
};

// Decides and, on pass, writes the build plan. Errors (kInvalidInput) for a setting that is not
// true/false, an invalid BP_ETCD_VERSION, or an unreadable buildpack.toml, whatever the app holds.
Result<DetectOutcome> Detect(const DetectContext& context);

}  // namespace bp
