#include "manifests/etcd_clients.h"

#include "base/strings.h"
#include "manifests/manifest_text.h"
#include "manifests/parsers.h"

namespace bp {

std::optional<ManifestKind> ManifestKindOf(std::string_view name) {
  if (StartsWith(name, "requirements") && EndsWith(name, ".txt"))
    return ManifestKind::kRequirementsTxt;
  if (name == "pyproject.toml") return ManifestKind::kPyprojectToml;
  if (name == "Pipfile") return ManifestKind::kPipfile;
  if (name == "setup.cfg") return ManifestKind::kSetupCfg;
  if (name == "package.json") return ManifestKind::kPackageJson;
  if (name == "go.mod") return ManifestKind::kGoMod;
  if (name == "pom.xml") return ManifestKind::kPomXml;
  if (name == "build.gradle" || name == "build.gradle.kts") return ManifestKind::kGradleBuild;
  if (name == "libs.versions.toml") return ManifestKind::kGradleCatalog;
  if (name == "Gemfile") return ManifestKind::kGemfile;
  if (name == "Gemfile.lock") return ManifestKind::kGemfileLock;
  if (name == "Cargo.toml") return ManifestKind::kCargoToml;
  for (const char* extension : {".csproj", ".fsproj", ".vbproj"}) {
    if (EndsWith(name, extension) && name.size() > 7) return ManifestKind::kMsbuildProject;
  }
  return std::nullopt;
}

std::optional<std::string> EtcdClientIn(ManifestKind kind, std::string_view text) {
  using namespace manifests;  // NOLINT: the readers, one per kind
  text = WithoutByteOrderMark(
      text);  // else the first line (a requirement, a TOML table) is unreadable
  switch (kind) {
    case ManifestKind::kRequirementsTxt:
      return PythonClientInRequirements(text);
    case ManifestKind::kPyprojectToml:
      return PythonClientInPyproject(text);
    case ManifestKind::kPipfile:
      return PythonClientInPipfile(text);
    case ManifestKind::kSetupCfg:
      return PythonClientInSetupCfg(text);
    case ManifestKind::kPackageJson:
      return NodeClientInPackageJson(text);
    case ManifestKind::kGoMod:
      return GoClientInGoMod(text);
    case ManifestKind::kPomXml:
      return JavaClientInPom(text);
    case ManifestKind::kGradleBuild:
      return JavaClientInGradle(text);
    case ManifestKind::kGradleCatalog:
      return JavaClientInGradleCatalog(text);
    case ManifestKind::kGemfile:
      return RubyClientInGemfile(text);
    case ManifestKind::kGemfileLock:
      return RubyClientInGemfileLock(text);
    case ManifestKind::kMsbuildProject:
      return DotnetClientInProject(text);
    case ManifestKind::kCargoToml:
      return RustClientInCargoToml(text);
  }
  return std::nullopt;
}

}  // namespace bp
