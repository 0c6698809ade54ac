#include "cnb/build.h"

#include <system_error>

#include "base/bindings.h"
#include "base/files.h"
#include "base/sha256.h"
#include "base/sidecar_marker.h"
#include "base/strings.h"
#include "base/url.h"
#include "cnb/app_evidence.h"
#include "cnb/config_table.h"
#include "cnb/contribute.h"
#include "cnb/helper_sbom.h"
#include "cnb/launch_toml.h"
#include "cnb/plan.h"
#include "cnb/sbom.h"
#include "dependency/etcd.h"
#include "manifests/etcd_clients.h"
#include "manifests/proxy_caveats.h"

namespace bp {

namespace {

constexpr char kSbomTool[] = "etcd-proxy-buildpack";

Result<Selection> SelectEtcd(const BuildContext& context, const Provision& etcd,
                             const BuildpackDescriptor& descriptor, Services& services) {
  Result<std::optional<VersionRequest>> planned = ReadPlanVersionRequest(context.plan_path);
  if (!planned.ok()) return planned.error();
  Result<Selection> selected =
      SelectRelease(etcd, descriptor, planned.value(), context.target, services.today());
  if (!selected.ok()) return selected.error();
  const VersionRequest& request = selected.value().request;
  Logger& log = services.log;
  log.Process("Resolving etcd version");
  log.Subprocess("Requested " + Quote(request.constraint) + " (" + request.label + ") for " +
                 context.target.ToString());
  log.Subprocess("Selected etcd version (using " + request.label +
                 "): " + selected.value().dependency.version);
  return selected;
}

// Where to fetch `dep` from; read only when a download is needed, so a reused layer costs no
// bindings or mirror lookups.
Result<ArtifactSource> ChooseBuildSource(const BuildContext& context, const Dependency& dep) {
  Result<std::vector<Binding>> bindings = ReadBuildBindings(context.env, context.platform_dir);
  if (!bindings.ok()) return bindings.error();
  Result<MirrorSettings> mirrors = ReadMirrorSettings(context.env, bindings.value());
  if (!mirrors.ok()) return mirrors.error();
  return ChooseSource(dep,
                      SourceOptions{context.buildpack_dir, "", bindings.value(), mirrors.value()});
}

Status ContributeEtcd(const BuildContext& context, const Provision& etcd, const Dependency& dep,
                      Services& services) {
  LayerContribution layer;
  layer.name = kEtcdLayer;
  layer.description = "etcd " + dep.version;
  layer.wanted = {{"version", dep.version},  {"sha256", dep.sha256},
                  {"os", context.target.os}, {"arch", context.target.arch},
                  {"layout", kLayerLayout},  {"places", LayoutKey(etcd)}};
  layer.types = LaunchAndCacheLayer();
  layer.install = [&](const fs::path& layer_dir) -> Status {
    Result<ArtifactSource> source = ChooseBuildSource(context, dep);
    if (!source.ok()) return source.error();
    services.log.Action("Source: " + source.value().label + " " + RedactUrl(source.value().uri));
    ReleaseInstall install;
    install.dependency = dep;
    install.source = source.value();
    install.destination = layer_dir;
    install.target = context.target;
    Result<InstallReport> report =
        InstallRelease(etcd, install, services.fetcher, services.retry, services.log);
    if (!report.ok()) return report.error();
    services.log.Action("Installed " + Join(report.value().placed, ", ") + " (" +
                        std::to_string(report.value().bytes) + " bytes downloaded)");
    return Ok();
  };
  services.log.Process("Contributing etcd layer");
  Result<Contribution> done =
      ContributeLayer(context.layers_dir, layer, services.log, services.now);
  if (!done.ok()) return done.error();
  return WriteLayerSboms(context.layers_dir, kEtcdLayer, dep, kSbomTool);
}

// The launcher runs exec.d/* before every process (src/launch/exec_d.h); it applies
// env.launch/etcd-proxy/ only for the etcd-proxy process, which is how exec.d tells it apart.
// Layout 2 renamed exec.d/etcd-proxy (which broke the etcd-proxy process type, see kExecDProgram)
// to exec.d/etcd-proxy+app: a layer built with layout 1 is replaced, not patched.
constexpr char kHelperExecDLayout[] = "2";

Status AddExecD(const fs::path& layer_dir) {
  std::error_code ec;
  fs::create_directories(layer_dir / "exec.d", ec);
  fs::create_directories(layer_dir / "env.launch" / kSidecarProcessType, ec);
  if (ec)
    return MakeError(ErrorKind::kIo, "cannot create the helper layer's exec.d: " + ec.message());
  Status linked = SymlinkAtomic("../bin/etcd-proxy", layer_dir / "exec.d" / kExecDProgram);
  if (!linked.ok()) return linked;
  return WriteFileAtomic(layer_dir / "env.launch" / kSidecarProcessType /
                             (std::string(kProcessTypeMarker) + ".override"),
                         kSidecarProcessType);
}

Status ContributeHelper(const BuildContext& context, const BuildpackDescriptor& descriptor,
                        Services& services) {
  const fs::path helper = context.buildpack_dir / "bin" / "etcd-proxy";
  Result<std::string> digest = Sha256File(helper);
  if (!digest.ok()) return digest.error().Wrap("the launch helper is missing from the buildpack");
  LayerContribution layer;
  layer.name = kHelperLayer;
  layer.description = "the etcd-proxy launch helper";
  layer.wanted = {{"buildpack-version", descriptor.version},
                  {"sha256", digest.value()},
                  {"layout", kLayerLayout},
                  {"exec-d", kHelperExecDLayout}};
  layer.types = LaunchAndCacheLayer();
  layer.install = [&](const fs::path& layer_dir) -> Status {
    Result<ScopedTempDir> staging = ScopedTempDir::Create(context.layers_dir, ".helper.staging-");
    if (!staging.ok()) return staging.error();
    std::error_code ec;
    fs::permissions(staging.value().path(), fs::perms(0755), ec);  // mkdtemp makes it 0700
    fs::create_directory(staging.value().path() / "bin", ec);
    Status copied =
        CopyFileAtomic(helper, staging.value().path() / "bin" / "etcd-proxy", fs::perms(0755));
    if (!copied.ok()) return copied;
    Status wired = AddExecD(staging.value().path());
    if (!wired.ok()) return wired;
    Status placed = ReplaceDirectory(staging.value().path(), layer_dir);
    if (placed.ok()) staging.value().Release();
    return placed;
  };
  services.log.Process("Contributing launch helper layer");
  Result<Contribution> done =
      ContributeLayer(context.layers_dir, layer, services.log, services.now);
  if (!done.ok()) return done.error();
  // The SBOM describes the executable the layer holds, which is the one in bin/ (same digest).
  Result<SbomDocument> sbom = HelperSbom(helper, digest.value(), descriptor, kSbomTool);
  if (!sbom.ok() && sbom.error().kind == ErrorKind::kUnavailable) {
    services.log.Warning(sbom.error().message + ": the helper layer gets no SBOM");
    return Ok();
  }
  if (!sbom.ok()) return sbom.error();
  return WriteLayerSboms(context.layers_dir, kHelperLayer, sbom.value());
}

// Names, once, an etcd client in the app that behaves differently through grpc-proxy (detect's
// own manifest scan, a few milliseconds), so the developer reads about it before a call fails.
void WarnAboutClientCaveat(const BuildContext& context, Logger& log) {
  if (context.app_dir.empty()) return;
  std::optional<ClientEvidence> client = FindEtcdClientInApp(context.app_dir);
  if (!client) return;
  std::optional<ManifestKind> kind = ManifestKindOf(client->manifest.filename().string());
  if (!kind) return;
  if (std::optional<std::string> caveat = ProxyCaveatFor(*kind, client->client)) {
    log.Warning(*caveat + " (etcd client " + client->client + " in " +
                client->manifest.generic_string() + ")");
  }
}

Status WriteLaunch(const BuildContext& context, Logger& log) {
  const Process process = EtcdProxyProcess();
  Status written = WriteFileAtomic(context.layers_dir / "launch.toml", LaunchToml({process}));
  if (!written.ok()) return written;
  log.Process("Assigning launch processes:");
  log.Subprocess(process.type + ": " + Join(process.command, " ") +
                 " (not the default; run it as a sidecar container with --entrypoint etcd-proxy)");
  return Ok();
}

}  // namespace

Status Build(const BuildContext& context, Services& services) {
  Result<BuildSettings> settings = ReadBuildSettings(context.env);
  if (!settings.ok()) return settings.error();
  Result<BuildpackDescriptor> descriptor = ReadBuildpackToml(context.buildpack_dir);
  if (!descriptor.ok()) return descriptor.error();
  Logger& log = services.log;
  log.Title(descriptor.value().name + " " + descriptor.value().version);
  log.Process(ConfigurationTable(descriptor.value().configurations, context.env));
  log.Break();
  const Provision etcd = EtcdProvision(settings.value());
  Result<Selection> selected = SelectEtcd(context, etcd, descriptor.value(), services);
  if (!selected.ok()) return selected.error();
  const Dependency& dep = selected.value().dependency;
  if (selected.value().deprecation_warning) log.Warning(*selected.value().deprecation_warning);
  WarnAboutClientCaveat(context, log);
  log.Break();
  Status layer = ContributeEtcd(context, etcd, dep, services);
  if (!layer.ok()) return layer;
  log.Break();
  Status helper = ContributeHelper(context, descriptor.value(), services);
  if (!helper.ok()) return helper;
  log.Break();
  return WriteLaunch(context, log);
}

}  // namespace bp
