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

// Returns the detect context. kInvalidInput when called the Cloud Foundry way (one positional
// argument and no CNB_BUILD_PLAN_PATH): a supply-only buildpack must never be auto-detected.
// `self_dir` is the directory of the running executable (the buildpack's bin/); `app_dir` the
// working directory.
Result<DetectContext> DetectContextFrom(const Env& env, const std::vector<std::string>& args, const fs::path& self_dir,
                                        const fs::path& app_dir);

Result<BuildContext> BuildContextFrom(const Env& env, const std::vector<std::string>& args, const fs::path& self_dir,
                                      const fs::path& app_dir);

}  // namespace bp
