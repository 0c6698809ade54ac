#include "dependency/source.h"

#include <system_error>

#include "base/strings.h"
#include "base/url.h"

namespace bp {

namespace {

bool IsFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

bool IsDownloadUrl(const std::string& text) {
  const std::optional<Url> url = ParseUrl(text);
  if (!url) return false;
  if (url->scheme == "file") return !url->path.empty();
  return (url->scheme == "https" || url->scheme == "http") && !url->host.empty();
}

std::string FileUri(const fs::path& path) {
  return "file://" + fs::absolute(path).lexically_normal().string();
}

}  // namespace

fs::path CachedArtifactPath(const fs::path& root, const Dependency& dep) {
  return root / "dependencies" / dep.sha256 / dep.FileName();
}

Result<ArtifactSource> ChooseSource(const Dependency& dep, const SourceOptions& options) {
  if (!options.buildpack_dir.empty()) {
    const fs::path offline = CachedArtifactPath(options.buildpack_dir, dep);
    if (IsFile(offline))
      return ArtifactSource{SourceKind::kOfflinePackage, FileUri(offline), "offline package"};
  }
  if (!options.download_cache_dir.empty()) {
    const fs::path cached = CachedArtifactPath(options.download_cache_dir, dep);
    if (IsFile(cached))
      return ArtifactSource{SourceKind::kDownloadCache, FileUri(cached), "download cache"};
  }
  for (const Binding& binding : options.bindings) {
    if (binding.type != "dependency-mapping") continue;
    if (const std::optional<std::string> uri = binding.Entry({dep.sha256.c_str()})) {
      if (uri->empty()) continue;
      const std::string where = "dependency-mapping binding '" + EscapeControl(binding.name) + "'";
      if (!IsDownloadUrl(*uri)) {
        // The entry may be a link to any file (Kubernetes projects secrets so): never show its
        // content.
        return MakeError(ErrorKind::kInvalidInput,
                         where + " entry " + dep.sha256 +
                             " does not hold a well-formed https://, http:// or file:// URL",
                         "write the artifact's download URL into the entry, e.g. "
                         "https://mirror.example/etcd.tar.gz");
      }
      return ArtifactSource{SourceKind::kMappingBinding, *uri, where};
    }
  }
  Result<std::optional<MirroredUri>> mirrored = ApplyMirror(options.mirrors, dep.uri);
  if (!mirrored.ok()) return mirrored.error();
  if (mirrored.value()) {
    return ArtifactSource{SourceKind::kMirror, mirrored.value()->uri,
                          "mirror (" + mirrored.value()->origin + ")"};
  }
  return ArtifactSource{SourceKind::kUpstream, dep.uri, "buildpack.toml"};
}

}  // namespace bp
