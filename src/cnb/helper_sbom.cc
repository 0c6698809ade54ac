#include "cnb/helper_sbom.h"

#include <chrono>

#include "base/purl.h"
#include "base/subprocess.h"

namespace bp {

namespace {

SbomPackage LinkedPackage(const LinkedComponent& component) {
  SbomPackage package;
  package.name = component.name;
  package.version = component.version;
  package.purl = component.purl;
  if (!component.cpe.empty()) package.cpes = {component.cpe};
  if (!component.license.empty()) package.licenses = {component.license};
  return package;
}

}  // namespace

Result<std::vector<LinkedComponent>> ListHelperComponents(const fs::path& helper) {
  const std::string what = "listing the libraries in the launch helper " + helper.string();
  Result<CommandOutput> listed =
      RunCaptured({helper.string(), "components"}, Env(), std::chrono::seconds(20));
  if (!listed.ok()) return listed.error().Wrap(what);
  if (listed.value().exit_code == 127 && listed.value().output.empty()) {
    // The exec itself failed: this machine cannot run the helper (e.g. user-mode emulation).
    return MakeError(ErrorKind::kUnavailable, what + ": it cannot run on this machine",
                     "build on a machine of the helper's architecture to get its SBOM");
  }
  if (listed.value().exit_code != 0) {
    return MakeError(ErrorKind::kInternal,
                     what + ": it exited " + std::to_string(listed.value().exit_code),
                     "the buildpack's bin/etcd-proxy does not belong to this bin/build; rebuild or "
                     "repackage it");
  }
  Result<std::vector<LinkedComponent>> components =
      ParseLinkedComponentsJson(listed.value().output);
  if (!components.ok()) return components.error().Wrap(what);
  return components;
}

SbomDocument HelperSbom(const std::vector<LinkedComponent>& components,
                        const std::string& helper_sha256, const BuildpackDescriptor& descriptor,
                        std::string_view tool) {
  SbomDocument document;
  document.tool = std::string(tool);
  document.subject.name = "etcd-proxy";
  document.subject.version = descriptor.version;
  document.subject.licenses = descriptor.licenses;
  document.subject.sha256 = helper_sha256;
  document.subject.download_location = descriptor.homepage;
  Purl purl;
  purl.type = "generic";
  purl.name = "etcd-proxy";
  purl.version = descriptor.version;
  document.subject.purl = purl.ToString();
  document.name = "etcd-proxy-" + descriptor.version;
  for (const LinkedComponent& component : components)
    document.linked.push_back(LinkedPackage(component));
  return document;
}

}  // namespace bp
