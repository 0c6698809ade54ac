#include "dependency/source.h"

#include <optional>
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

// The offline package or the download cache, when either holds the file.
std::optional<ArtifactSource> LocalSource(const Dependency& dep, const SourceSettings& settings) {
  if (!settings.buildpack_dir.empty()) {
    const fs::path offline = CachedArtifactPath(settings.buildpack_dir, dep);
    if (IsFile(offline))
      return ArtifactSource{SourceKind::kOfflinePackage, FileUri(offline), "offline package"};
  }
  if (!settings.download_cache_dir.empty()) {
    const fs::path cached = CachedArtifactPath(settings.download_cache_dir, dep);
    if (IsFile(cached))
      return ArtifactSource{SourceKind::kDownloadCache, FileUri(cached), "download cache"};
  }
  return std::nullopt;
}

// The mapping binding's entry for `dep`, when one names it.
Result<std::optional<ArtifactSource>> MappedSource(const Dependency& dep,
                                                   const std::vector<Binding>& bindings) {
  for (const Binding& binding : bindings) {
    if (binding.type != "dependency-mapping") continue;
    const std::optional<std::string> uri = binding.Entry({dep.sha256.c_str()});
    if (!uri || uri->empty()) continue;
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
    return std::optional<ArtifactSource>(ArtifactSource{SourceKind::kMappingBinding, *uri, where});
  }
  return std::optional<ArtifactSource>();
}

// Where `dep` is downloaded from when no local copy has it: a mapping, a mirror or upstream.
Result<ArtifactSource> RemoteSource(const Dependency& dep, const SourceSettings& settings) {
  Result<std::optional<ArtifactSource>> mapped = MappedSource(dep, settings.bindings);
  if (!mapped.ok()) return mapped.error();
  if (mapped.value()) return *mapped.value();
  Result<std::optional<MirroredUri>> mirrored = ApplyMirror(settings.mirrors, dep.uri);
  if (!mirrored.ok()) return mirrored.error();
  if (mirrored.value()) {
    return ArtifactSource{SourceKind::kMirror, mirrored.value()->uri,
                          "mirror (" + mirrored.value()->origin + ")"};
  }
  return ArtifactSource{SourceKind::kUpstream, dep.uri, "buildpack.toml"};
}

}  // namespace

Result<SourceSettings> ReadSourceSettings(const Env& env, std::vector<Binding> bindings,
                                          const fs::path& buildpack_dir,
                                          const fs::path& download_cache_dir,
                                          const std::vector<Dependency>& fetched) {
  Result<MirrorSettings> mirrors = ReadMirrorSettings(env, bindings);
  if (!mirrors.ok()) return mirrors.error();
  SourceSettings settings{buildpack_dir, download_cache_dir, std::move(bindings),
                          std::move(mirrors).value()};
  // Checked whether or not anything is downloaded later (a reused layer, a local copy), so the
  // same bad setting fails every phase and every run the same way.
  for (const Dependency& dep : fetched) {
    Result<ArtifactSource> remote = RemoteSource(dep, settings);
    if (!remote.ok()) return remote.error();
  }
  return settings;
}

fs::path CachedArtifactPath(const fs::path& root, const Dependency& dep) {
  return root / "dependencies" / dep.sha256 / dep.FileName();
}

Result<ArtifactSource> ChooseSource(const Dependency& dep, const SourceSettings& settings) {
  if (std::optional<ArtifactSource> local = LocalSource(dep, settings)) return *local;
  return RemoteSource(dep, settings);
}

}  // namespace bp
