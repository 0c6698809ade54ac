#include "cnb/detect.h"

#include <fstream>

#include "cnb/plan.h"
#include "dependency/buildpack_toml.h"
#include "dependency/etcd.h"

namespace bp {

namespace {

// The lifecycle creates the plan file; write into it rather than replacing it.
Status WritePlan(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return MakeError(ErrorKind::kIo, "cannot write the build plan " + path.string());
  return Ok();
}

}  // namespace

Result<DetectOutcome> Detect(const DetectContext& context) {
  Result<bool> enabled = EtcdProxyEnabled(context.env);
  if (!enabled.ok()) return enabled.error();
  if (!enabled.value()) return DetectOutcome{false, "BP_ETCD_PROXY_ENABLED is false"};
  Result<BuildpackDescriptor> descriptor = ReadBuildpackToml(context.buildpack_dir);
  if (!descriptor.ok()) return descriptor.error();
  VersionRequest request = EtcdVersionRequest(context.env, descriptor.value(), std::nullopt);
  Result<VersionConstraint> constraint = VersionConstraint::Parse(request.constraint);
  if (!constraint.ok()) return constraint.error().Wrap(request.source);
  if (request.source != "BP_ETCD_VERSION") request.source = kDefaultVersionSource;
  Status written = WritePlan(context.plan_path, DetectPlanToml(request));
  if (!written.ok()) return written.error();
  return DetectOutcome{true, ""};
}

}  // namespace bp
