#include "dependency/etcd.h"

#include <system_error>

#include "base/etcd_program.h"
#include "base/files.h"
#include "base/settings.h"

namespace bp {

namespace {

// Checks a staged etcd tree: bin/etcd exists and, when the target can run here, reports `version`.
Status CheckEtcdTree(const fs::path& tree, const std::string& version, const Target& target,
                     Logger& log) {
  const fs::path etcd = tree / "bin" / "etcd";
  std::error_code ec;
  if (!fs::is_regular_file(etcd, ec)) {
    return MakeError(ErrorKind::kInvalidInput, "the archive has no etcd binary",
                     "an etcd release tarball holds etcd-v<version>-<os>-<arch>/etcd");
  }
  if (!(target == HostTarget())) {
    log.Debug("not running etcd --version: the target " + target.ToString() + " cannot run here");
    return Ok();
  }
  Result<std::string> reported = EtcdBinaryVersion(etcd);
  if (!reported.ok()) return reported.error();
  if (reported.value() != version) {
    return MakeError(
        ErrorKind::kInvalidInput,
        "etcd --version reports " + reported.value() + " but buildpack.toml pins " + version,
        "the archive does not hold the release its metadata names");
  }
  log.Debug("etcd --version reports " + reported.value());
  return Ok();
}

}  // namespace

Provision EtcdProvision(const BuildSettings& settings) {
  Provision what;
  what.id = kEtcdId;
  what.version_setting = std::string(settings::kEtcdVersion.name);
  what.requested_version = settings.etcd_version;
  what.binaries_setting = std::string(settings::kEtcdBinaries.name);
  what.binaries = settings.etcd_binaries;
  what.check = [](const fs::path& tree, const std::string& version, const Target& target,
                  Logger& log) -> Status {
    Status checked = CheckEtcdTree(tree, version, target, log);
    if (!checked.ok()) return checked;
    // The launch helper reads this at run time instead of running etcd --version.
    return WriteFileAtomic(tree / kEtcdVersionRecord, version + "\n", fs::perms(0644));
  };
  what.written_files = {kEtcdVersionRecord};
  return what;
}

}  // namespace bp
