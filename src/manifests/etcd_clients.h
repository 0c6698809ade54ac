// Which etcd v3 client libraries an app's dependency manifests declare.
//
// Manifests are read as text and never executed or resolved: a Gemfile is not run, a go.mod is not
// downloaded, a pom.xml's parent is not fetched. Only the app's own declarations count (a Go
// `// indirect` requirement or a gem that another gem pulls in does not); any dependency section
// does (runtime, dev, test, optional). A malformed manifest declares nothing. Names must match
// exactly, under the ecosystem's own rules (Python's PEP 503 normalisation, NuGet's
// case-insensitive ids): `etcd3-fake`, `python-etcd` (a v2 client), `jetcd-launcher` (test
// tooling) or the word etcd in a comment or a description are not evidence.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bp {

enum class ManifestKind {
  kRequirementsTxt,  // requirements*.txt
  kPyprojectToml,
  kPipfile,
  kSetupCfg,
  kPackageJson,
  kGoMod,
  kPomXml,
  kGradleBuild,    // build.gradle, build.gradle.kts
  kGradleCatalog,  // libs.versions.toml
  kGemfile,
  kGemfileLock,
  kMsbuildProject,  // *.csproj, *.fsproj, *.vbproj
  kCargoToml,
};

// Returns the kind of manifest a file called `file_name` is, nullopt when it is none.
std::optional<ManifestKind> ManifestKindOf(std::string_view file_name);

// Returns the first etcd client `text` declares as a `kind` manifest, nullopt when it declares
// none or cannot be parsed. Never throws; any input is acceptable.
std::optional<std::string> EtcdClientIn(ManifestKind kind, std::string_view text);

}  // namespace bp
