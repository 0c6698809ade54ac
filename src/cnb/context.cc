#include "cnb/context.h"

namespace bp {

namespace {

fs::path BuildpackDir(const Env& env, const fs::path& self_dir) {
  if (std::optional<std::string> dir = env.GetSetting("CNB_BUILDPACK_DIR")) return *dir;
  return self_dir.parent_path();
}

// The CNB_* variable, else positional argument `index`, else empty.
fs::path Input(const Env& env, const char* name, const std::vector<std::string>& args,
               size_t index) {
  if (std::optional<std::string> value = env.GetSetting(name)) return *value;
  return index < args.size() ? fs::path(args[index]) : fs::path();
}

}  // namespace

bool IsCloudFoundryDetect(const Env& env, const std::vector<std::string>& args) {
  return !env.GetSetting("CNB_BUILD_PLAN_PATH") && args.size() == 1;
}

Result<DetectContext> DetectContextFrom(const Env& env, const std::vector<std::string>& args,
                                        const fs::path& self_dir, const fs::path& app_dir) {
  DetectContext context;
  context.app_dir = app_dir;
  context.platform_dir = Input(env, "CNB_PLATFORM_DIR", args, 0);
  context.plan_path = Input(env, "CNB_BUILD_PLAN_PATH", args, 1);
  context.buildpack_dir = BuildpackDir(env, self_dir);
  if (context.plan_path.empty()) {
    return MakeError(ErrorKind::kInvalidInput, "CNB_BUILD_PLAN_PATH is not set",
                     "run bin/detect through a CNB lifecycle");
  }
  Result<Env> merged = OverlayPlatformEnv(env, context.platform_dir);
  if (!merged.ok()) return merged.error();
  context.env = std::move(merged).value();
  return context;
}

Result<BuildContext> BuildContextFrom(const Env& env, const std::vector<std::string>& args,
                                      const fs::path& self_dir, const fs::path& app_dir) {
  BuildContext context;
  context.app_dir = app_dir;
  context.layers_dir = Input(env, "CNB_LAYERS_DIR", args, 0);
  context.platform_dir = Input(env, "CNB_PLATFORM_DIR", args, 1);
  context.plan_path = Input(env, "CNB_BP_PLAN_PATH", args, 2);
  context.buildpack_dir = BuildpackDir(env, self_dir);
  if (context.layers_dir.empty()) {
    return MakeError(ErrorKind::kInvalidInput, "CNB_LAYERS_DIR is not set",
                     "run bin/build through a CNB lifecycle");
  }
  Result<Env> merged = OverlayPlatformEnv(env, context.platform_dir);
  if (!merged.ok()) return merged.error();
  context.env = std::move(merged).value();
  context.target = TargetFromEnv(context.env);
  return context;
}

}  // namespace bp
