// Fuzzes buildpack.toml parsing (dependency/buildpack_toml.h) and the version resolution that
// consumes it (dependency/etcd.h, dependency/dependency.h). On success the header's contract
// must hold: every dependency has an id, a semver version, a uri and a 64-hex sha256.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/strings.h"
#include "dependency/buildpack_toml.h"
#include "dependency/etcd.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = bp_fuzz::AsText(data, size);
  bp::Result<bp::BuildpackDescriptor> parsed = bp::ParseBuildpackToml(text, "fuzz");
  if (!parsed.ok()) {
    BP_FUZZ_CHECK(!parsed.error().message.empty(), "an error without a message");
    return 0;
  }
  const bp::BuildpackDescriptor& descriptor = parsed.value();
  BP_FUZZ_CHECK(!descriptor.id.empty() && !descriptor.version.empty(),
                "accepted without id or version");
  for (const bp::Dependency& dep : descriptor.dependencies) {
    BP_FUZZ_CHECK(!dep.id.empty(), "accepted a dependency without id");
    BP_FUZZ_CHECK(bp::ParseVersion(dep.version).has_value(),
                  "accepted version \"" + dep.version + "\"");
    BP_FUZZ_CHECK(!dep.uri.empty(), "accepted a dependency without uri");
    BP_FUZZ_CHECK(bp::IsSha256Hex(dep.sha256), "accepted sha256 \"" + dep.sha256 + "\"");
    BP_FUZZ_CHECK(dep.strip_components >= 0 && dep.strip_components <= 8,
                  "strip-components out of range");
    (void)dep.FileName();
  }
  // What a build does next: pick the etcd release for a target.
  const bp::Provision etcd = bp::EtcdProvision(bp::BuildSettings());
  const auto today = std::chrono::system_clock::from_time_t(1700000000);
  for (const std::optional<bp::VersionRequest>& fallback :
       {std::optional<bp::VersionRequest>(),
        std::optional<bp::VersionRequest>({"*", bp::VersionOrigin::kAnyVersion, "any"}),
        std::optional<bp::VersionRequest>({"~3.5", bp::VersionOrigin::kBuildPlan, "plan"})}) {
    for (const bp::Target& target : {bp::Target{"linux", "amd64"}, bp::Target{"linux", "arm64"}}) {
      bp::Result<bp::Selection> chosen =
          bp::SelectRelease(etcd, descriptor, fallback, target, today);
      if (chosen.ok()) {
        const bp::Dependency& dep = chosen.value().dependency;
        BP_FUZZ_CHECK(dep.id == bp::kEtcdId, "resolved a dependency that is not etcd");
        BP_FUZZ_CHECK(dep.os.empty() || dep.os == target.os, "resolved the wrong os");
        BP_FUZZ_CHECK(dep.arch.empty() || dep.arch == target.arch, "resolved the wrong arch");
      }
    }
  }
  return 0;
}
