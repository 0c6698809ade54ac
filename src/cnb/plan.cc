#include "cnb/plan.h"

#include <system_error>

#include "base/files.h"
#include "base/toml_fields.h"

namespace bp {

std::string DetectPlanToml(const VersionRequest& request) {
  toml::table metadata{
      {"version", request.constraint},
      // Build tells a default from the user's choice by this (see kDefaultVersionSource).
      {"version-source",
       request.origin == VersionOrigin::kSetting ? request.label : kDefaultVersionSource},
      {"launch", true},
  };
  toml::table require{{"name", kEtcdId}, {"metadata", std::move(metadata)}};
  toml::table provide{{"name", kEtcdId}};
  toml::table plan{
      {"provides", toml::array{std::move(provide)}},
      {"requires", toml::array{std::move(require)}},
  };
  return ToTomlText(plan);
}

Result<std::optional<VersionRequest>> ReadPlanVersionRequest(const fs::path& path) {
  std::error_code ec;
  if (path.empty() || !fs::exists(path, ec)) return std::optional<VersionRequest>();
  Result<std::string> text = ReadSmallFile(path, kMaxSettingBytes);
  if (!text.ok()) return text.error();
  Result<toml::table> plan = ParseToml(text.value(), "buildpack plan " + path.string());
  if (!plan.ok()) return plan.error();
  const toml::array* entries = plan.value()["entries"].as_array();
  if (entries == nullptr) return std::optional<VersionRequest>();
  for (const toml::node& node : *entries) {
    const TomlView entry(node);
    Result<std::string> name = StringField(entry["name"], "buildpack plan entry name");
    if (!name.ok()) return name.error();
    if (name.value() != kEtcdId) continue;
    Result<std::string> version =
        StringField(entry["metadata"]["version"], "buildpack plan etcd version");
    Result<std::string> source =
        StringField(entry["metadata"]["version-source"], "buildpack plan version-source");
    if (!version.ok()) return version.error();
    if (!source.ok()) return source.error();
    if (version.value().empty() || source.value() == kDefaultVersionSource) continue;
    VersionRequest request;
    request.constraint = version.value();
    request.origin = VersionOrigin::kBuildPlan;
    request.label = source.value().empty() ? "build plan" : source.value() + " (build plan)";
    return std::optional<VersionRequest>(request);
  }
  return std::optional<VersionRequest>();
}

}  // namespace bp
