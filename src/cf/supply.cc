#include "cf/supply.h"

#include <algorithm>
#include <system_error>

#include "base/files.h"
#include "base/strings.h"
#include "base/url.h"
#include "cf/cf_files.h"
#include "cf/cf_stack.h"
#include "dependency/buildpack_toml.h"
#include "dependency/etcd.h"

namespace bp {

namespace {

bool IsSafeIndex(const std::string& idx) {
  if (idx.empty() || idx == "." || idx == ".." || idx.size() > 16) return false;
  for (char c : idx) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Error UsageError(const std::string& problem) {
  return MakeError(ErrorKind::kInvalidInput, "bin/supply: " + problem,
                   "usage: bin/supply BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX (Cloud Foundry runs it "
                   "while staging)");
}

std::string SourceLine(const ArtifactSource& source) {
  switch (source.kind) {
    case SourceKind::kOfflinePackage:
      return "Copy [offline package " + FileUrlPath(source.uri).value_or(source.uri) + "]";
    case SourceKind::kDownloadCache:
      return "Using the cached download [" + FileUrlPath(source.uri).value_or(source.uri) + "]";
    default:
      return "Download [" + RedactUrl(source.uri) + "] (" + source.label + ")";
  }
}

// Removes cached downloads other than `keep`, so CACHE_DIR does not grow release by release.
void PruneDownloadCache(const fs::path& cache_dir, const std::string& keep, Logger& log) {
  std::error_code ec;
  for (fs::directory_iterator it(cache_dir / "dependencies", ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().filename() == keep) continue;
    log.Debug("removing stale cached download " + it->path().filename().string());
    RemoveAllQuietly(it->path());
  }
}

// Supply writes only inside DEPS_DIR/DEPS_IDX: an entry planted there as a symbolic link that
// leads outside (bin -> /usr/bin) would make every write below land elsewhere.
Status RefuseLinksLeadingOutside(const fs::path& dep_dir) {
  std::error_code ec;
  const fs::path root = fs::canonical(dep_dir, ec);
  if (ec)
    return MakeError(ErrorKind::kIo, "cannot resolve " + dep_dir.string() + ": " + ec.message());
  for (const char* entry : {"bin", "etcd", "profile.d", "config.yml", "launch.yml"}) {
    const fs::path path = dep_dir / entry;
    if (!fs::is_symlink(fs::symlink_status(path, ec))) continue;
    const fs::path target = fs::weakly_canonical(path, ec);
    const auto [root_end, ignored] =
        std::mismatch(root.begin(), root.end(), target.begin(), target.end());
    if (ec || root_end != root.end() || target == root) {
      return MakeError(
          ErrorKind::kInvalidInput,
          "DEPS_DIR/DEPS_IDX/" + std::string(entry) + " is a symbolic link leading outside " +
              EscapeControl(dep_dir.string()) + "; refusing to write through it",
          "stage into a fresh DEPS_DIR (the buildpack writes only inside DEPS_DIR/DEPS_IDX)");
    }
  }
  return Ok();
}

// Returns "a", "a and b", "a, b and c".
std::string Listing(const std::vector<std::string>& items) {
  if (items.size() < 2) return Join(items, "");
  return Join(std::vector<std::string>(items.begin(), items.end() - 1), ", ") + " and " +
         items.back();
}

Status LinkBinaries(const SupplyContext& context, const Provision& etcd, Logger& log) {
  const fs::path bin = context.DepDir() / "bin";
  std::error_code ec;
  fs::create_directories(bin, ec);
  if (ec) return MakeError(ErrorKind::kIo, "cannot create " + bin.string() + ": " + ec.message());
  for (const std::string& tool : etcd.binaries) {
    Status linked = SymlinkAtomic("../etcd/bin/" + tool, bin / tool);
    if (!linked.ok()) return linked;
  }
  const fs::path helper = context.buildpack_dir / "bin" / "etcd-proxy";
  Status copied = CopyFileAtomic(helper, bin / "etcd-proxy", fs::perms(0755));
  if (!copied.ok()) return copied.error().Wrap("installing the etcd-proxy launch helper");
  std::vector<std::string> installed = etcd.binaries;
  installed.push_back("etcd-proxy");
  log.Subprocess("Installed " + Listing(installed) + " into $DEPS_DIR/" + context.deps_idx +
                 "/bin");
  return Ok();
}

Status WriteRunFiles(const SupplyContext& context, const BuildSettings& settings,
                     const std::string& bp_version, const std::string& etcd_version, Logger& log) {
  const fs::path dir = context.DepDir();
  std::error_code ec;
  fs::create_directories(dir / "profile.d", ec);
  Status status = WriteFileAtomic(dir / "config.yml", ConfigYml(bp_version, etcd_version));
  if (status.ok())
    status = WriteFileAtomic(dir / "profile.d" / "etcdproxy.sh", ProfileScript(context.deps_idx));
  if (!status.ok()) return status;
  if (!settings.sidecar) {
    fs::remove(dir / "launch.yml", ec);
    return Ok();
  }
  status =
      WriteFileAtomic(dir / "launch.yml", LaunchYml(context.deps_idx, settings.sidecar_memory_mb));
  if (!status.ok()) return status;
  log.Subprocess("Declared the etcd-proxy sidecar for web (" +
                 std::to_string(settings.sidecar_memory_mb) + " MB) in launch.yml");
  if (BuilderIgnoresLaunchYml(context.deps_idx)) {
    log.Warning("DEPS_IDX " + context.deps_idx +
                " is zero-padded (10 or more buildpacks): Cloud Foundry reads "
                "launch.yml only from unpadded deps/<index> dirs and will not start this sidecar; "
                "declare it in "
                "the manifest instead (sidecars: - name: etcd-proxy, process_types: [web], "
                "command: etcd-proxy)");
  }
  return Ok();
}

// Resolves the etcd release for the stack and says which, as libbuildpack does.
Result<Selection> SelectForSupply(const SupplyContext& context, const Provision& etcd,
                                  const BuildpackDescriptor& descriptor, Services& services) {
  Result<Selection> selected =
      SelectRelease(etcd, descriptor, std::nullopt, context.target, services.today());
  if (!selected.ok()) return selected.error();
  const Dependency& dep = selected.value().dependency;
  const VersionRequest& request = selected.value().request;
  services.log.Subprocess("Using etcd version " + dep.version);
  services.log.Debug("requested " + Quote(request.constraint) + " (" + request.label + ") for " +
                     context.target.ToString());
  if (selected.value().deprecation_warning)
    services.log.Warning(*selected.value().deprecation_warning);
  return selected;
}

// Installs etcd into DEPS_DIR/DEPS_IDX/etcd from the source the installer chooses, keeping a
// download in CACHE_DIR when it can be written (else with a warning: the cache is an
// optimisation, not a requirement).
Status InstallEtcd(const SupplyContext& context, const Provision& etcd, const Dependency& dep,
                   const SourceSettings& sources, Services& services) {
  Logger& log = services.log;
  log.Process("Installing etcd " + dep.version);
  const auto start = services.now();
  ReleaseDelivery delivery{
      dep, context.DepDir() / "etcd", context.target, sources,
      [&log](const ArtifactSource& source) { log.Subprocess(SourceLine(source)); }};
  Result<ArchiveReport> report =
      InstallRelease(etcd, delivery, services.fetcher, services.retry, log);
  if (!report.ok()) return report.error();
  if (!report.value().cache_warning.empty()) {
    log.Warning("CACHE_DIR cannot be written (" + report.value().cache_warning +
                "); staged without caching the download");
  }
  log.Subprocess("Verified sha256 " + dep.sha256.substr(0, 12) + "… and unpacked in " +
                 FormatDuration(services.now() - start));
  PruneDownloadCache(context.cache_dir, dep.sha256, log);
  return Ok();
}

}  // namespace

Result<SupplyContext> SupplyContextFrom(const Env& env, const std::vector<std::string>& args,
                                        const fs::path& self_dir) {
  if (args.size() != 4)
    return UsageError("expected 4 arguments, got " + std::to_string(args.size()));
  SupplyContext context;
  context.build_dir = args[0];
  context.cache_dir = args[1];
  context.deps_dir = args[2];
  context.deps_idx = args[3];
  context.buildpack_dir = self_dir.parent_path();
  context.env = env;
  context.target = HostTarget();
  std::error_code ec;
  if (!IsSafeIndex(context.deps_idx))
    return UsageError("DEPS_IDX " + Quote(context.deps_idx) + " is not an index");
  if (!fs::is_directory(context.build_dir, ec))
    return UsageError("BUILD_DIR " + args[0] + " is not a directory");
  if (!fs::is_directory(context.DepDir(), ec)) {
    return UsageError("DEPS_DIR/DEPS_IDX " + context.DepDir().string() + " is not a directory");
  }
  fs::create_directories(context.cache_dir, ec);
  if (ec) return UsageError("cannot create CACHE_DIR " + args[1] + ": " + ec.message());
  return context;
}

Status Supply(const SupplyContext& context, Services& services) {
  Logger& log = services.log;
  Result<BuildpackDescriptor> descriptor = ReadBuildpackToml(context.buildpack_dir);
  if (!descriptor.ok()) return descriptor.error();
  const std::string& version = descriptor.value().version;
  log.Title("Etcdproxy Buildpack version " + version);
  Status stack = CheckCfStack(descriptor.value(), context.env.GetOr("CF_STACK", ""));
  if (!stack.ok()) return stack;
  // Every setting is checked before anything is downloaded or written.
  Result<BuildSettings> settings = ReadBuildSettings(context.env);
  if (!settings.ok()) return settings.error();
  if (settings.value().proxy_enabled == false) {
    log.Subprocess("BP_ETCD_PROXY_ENABLED is false: not supplying etcd");
    return WriteFileAtomic(context.DepDir() / "config.yml", ConfigYml(version, ""));
  }
  log.Process("Supplying etcd");
  const Provision etcd = EtcdProvision(settings.value());
  Result<Selection> selected = SelectForSupply(context, etcd, descriptor.value(), services);
  if (!selected.ok()) return selected.error();
  const Dependency& dep = selected.value().dependency;
  Result<SourceSettings> sources =
      ReadSourceSettings(context.env, {}, context.buildpack_dir, context.cache_dir, {dep});
  if (!sources.ok()) return sources.error();
  if (Status contained = RefuseLinksLeadingOutside(context.DepDir()); !contained.ok())
    return contained;
  Status installed = InstallEtcd(context, etcd, dep, sources.value(), services);
  if (!installed.ok()) return installed;
  Status linked = LinkBinaries(context, etcd, log);
  if (!linked.ok()) return linked;
  return WriteRunFiles(context, settings.value(), version, dep.version, log);
}

}  // namespace bp
