#include "cnb/build.h"

#include <system_error>

#include "base/bindings.h"
#include "base/files.h"
#include "base/strings.h"
#include "cnb/app_evidence.h"
#include "cnb/config_table.h"
#include "cnb/etcd_layer.h"
#include "cnb/helper_layer.h"
#include "cnb/launch_toml.h"
#include "cnb/plan.h"
#include "dependency/etcd.h"
#include "manifests/etcd_clients.h"
#include "manifests/proxy_caveats.h"

namespace bp {

namespace {

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

// Where the etcd release may come from, read and checked for `dep` before any layer is looked
// at: a bad mirror or mapping fails a build that would reuse the layer as it fails one that
// downloads, and as it fails Cloud Foundry staging and packaging.
Result<SourceSettings> ReadBuildSources(const BuildContext& context, const Dependency& dep) {
  Result<std::vector<Binding>> bindings = ReadBuildBindings(context.env, context.platform_dir);
  if (!bindings.ok()) return bindings.error();
  return ReadSourceSettings(context.env, std::move(bindings).value(), context.buildpack_dir, "",
                            {dep});
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
  Result<SourceSettings> sources = ReadBuildSources(context, dep);
  if (!sources.ok()) return sources.error();
  WarnAboutClientCaveat(context, log);
  log.Break();
  Status layer = ContributeEtcdLayer(context, etcd, dep, sources.value(), services);
  if (!layer.ok()) return layer;
  log.Break();
  Status helper = ContributeHelperLayer(context, descriptor.value(), services);
  if (!helper.ok()) return helper;
  log.Break();
  return WriteLaunch(context, log);
}

}  // namespace bp
