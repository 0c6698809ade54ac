// bin/detect: passes by default (any app may want a local etcd endpoint) with a plan that
// provides and requires etcd; fails (100) when BP_ETCD_PROXY_ENABLED=false.
#pragma once

#include <string>

#include "base/result.h"
#include "cnb/context.h"

namespace bp {

struct DetectOutcome {
  bool pass = false;
  std::string reason;  // why it did not pass
};

// Decides and, on pass, writes the build plan. Errors (kInvalidInput) for a setting that is not
// true/false, an invalid BP_ETCD_VERSION, or an unreadable buildpack.toml.
Result<DetectOutcome> Detect(const DetectContext& context);

}  // namespace bp
