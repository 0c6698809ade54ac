#include "cnb/detect.h"

#include <fstream>

#include "base/bindings.h"
#include "base/settings.h"
#include "cnb/app_evidence.h"
#include "cnb/plan.h"
#include "dependency/buildpack_toml.h"
#include "dependency/etcd.h"

namespace bp {

namespace {

constexpr char kNoEvidence[] =
    "nothing in the app asks for etcd (no etcd client in its dependency manifests, no etcd service "
    "binding, "
    "no BP_ETCD_VERSION); set BP_ETCD_PROXY_ENABLED=true to force it";

// The lifecycle creates the plan file; write into it rather than replacing it.
Status WritePlan(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return MakeError(ErrorKind::kIo, "cannot write the build plan " + path.string());
  return Ok();
}

// Returns why the app needs etcd, "" when nothing says it does. A binding directory that cannot
// be read is no evidence, as a malformed manifest is none: detect must not fail an unrelated app.
std::string Evidence(const DetectContext& context, const BuildSettings& settings) {
  if (settings.proxy_enabled == true) return "BP_ETCD_PROXY_ENABLED=true";
  if (settings.etcd_version) return "BP_ETCD_VERSION is set";
  Result<std::vector<Binding>> bindings = ReadBuildBindings(context.env, context.platform_dir);
  if (bindings.ok()) {
    for (const Binding& binding : bindings.value()) {
      if (IsEtcdBinding(binding)) return "etcd service binding '" + binding.name + "'";
    }
  }
  if (std::optional<ClientEvidence> client = FindEtcdClientInApp(context.app_dir)) {
    return "etcd client " + client->client + " in " + client->manifest.generic_string();
  }
  return "";
}

}  // namespace

Result<DetectOutcome> Detect(const DetectContext& context) {
  Result<BuildSettings> settings = ReadBuildSettings(context.env);
  if (!settings.ok()) return settings.error();
  if (settings.value().proxy_enabled == false)
    return DetectOutcome{false, "BP_ETCD_PROXY_ENABLED is false"};
  Result<BuildpackDescriptor> descriptor = ReadBuildpackToml(context.buildpack_dir);
  if (!descriptor.ok()) return descriptor.error();
  const VersionRequest request =
      RequestFor(EtcdProvision(settings.value()), descriptor.value(), std::nullopt);
  Result<VersionConstraint> constraint = VersionConstraint::Parse(request.constraint);
  if (!constraint.ok()) return constraint.error().Wrap(request.label);
  const std::string evidence = Evidence(context, settings.value());
  if (evidence.empty()) return DetectOutcome{false, kNoEvidence};
  Status written = WritePlan(context.plan_path, DetectPlanToml(request));
  if (!written.ok()) return written.error();
  return DetectOutcome{true, evidence};
}

}  // namespace bp
