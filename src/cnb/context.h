// What the lifecycle hands bin/detect and bin/build: CNB_* variables (Buildpack API 0.8+),
// the positional arguments older platforms still pass, and user settings as environment
// variables or <platform>/env files (the files win, as the lifecycle exports them last).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/result.h"
#include "base/target.h"

namespace bp {

namespace fs = std::filesystem;

struct DetectContext {
  fs::path app_dir;  // the lifecycle runs detect in the app directory (read-only)
  fs::path platform_dir;
  fs::path plan_path;
  fs::path buildpack_dir;
  Env env;
};

struct BuildContext {
  fs::path app_dir;  // the lifecycle runs build in the app directory too
  fs::path layers_dir;
  fs::path platform_dir;
  fs::path plan_path;
  fs::path buildpack_dir;
  Env env;
  Target target;
};

// True when Cloud Foundry runs bin/detect (one positional argument, BUILD_DIR, and no
// CNB_BUILD_PLAN_PATH): it auto-detects every admin buildpack on every push without -b, and a
// supply-only buildpack declines there, quietly, as Cloud Foundry's own do (apt-buildpack's
// bin/detect is `exit 1`).
bool IsCloudFoundryDetect(const Env& env, const std::vector<std::string>& args);

// Returns the detect context of a CNB lifecycle call. `self_dir` is the directory of the running
// executable (the buildpack's bin/); `app_dir` the working directory.
Result<DetectContext> DetectContextFrom(const Env& env, const std::vector<std::string>& args,
                                        const fs::path& self_dir, const fs::path& app_dir);

Result<BuildContext> BuildContextFrom(const Env& env, const std::vector<std::string>& args,
                                      const fs::path& self_dir, const fs::path& app_dir);

}  // namespace bp
