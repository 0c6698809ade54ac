#include "dependency/etcd.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/etcd_program.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(EtcdProvisionTest, PlacesEtcdAndEtcdctlByDefault) {
  EXPECT_THAT(PlacedFiles(EtcdProvision(BuildSettings())),
              ElementsAre("bin/etcd", "bin/etcdctl", "etcd-version"));
}

TEST(EtcdProvisionTest, PlacesWhatBpEtcdBinariesLists) {
  BuildSettings settings;
  settings.etcd_binaries = {"etcd", "etcdctl", "etcdutl"};
  EXPECT_THAT(PlacedFiles(EtcdProvision(settings)),
              ElementsAre("bin/etcd", "bin/etcdctl", "bin/etcdutl", "etcd-version"));
}

TEST(EtcdProvisionTest, NamesItsSettings) {
  BuildSettings settings;
  settings.etcd_version = "~3.5";
  const Provision etcd = EtcdProvision(settings);
  EXPECT_EQ(etcd.id, "etcd");
  EXPECT_EQ(etcd.version_setting, "BP_ETCD_VERSION");
  EXPECT_EQ(etcd.requested_version, std::optional<std::string>("~3.5"));
  EXPECT_EQ(etcd.binaries_setting, "BP_ETCD_BINARIES");
}

Status CheckEtcdTree(const fs::path& tree, const std::string& version, const Target& target,
                     Logger& log) {
  return EtcdProvision(BuildSettings()).check(tree, version, target, log);
}

TEST(EtcdProvisionTest, ItsCheckRunsTheBinaryAndComparesTheVersion) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::RecordingLogger log;
  EXPECT_THAT(CheckEtcdTree(tmp.path(), "3.6.14", HostTarget(), log).error().message,
              HasSubstr("no etcd binary"));
  testing::WriteFile(tmp.path() / "bin/etcd", "#!/bin/sh\necho 'etcd Version: 3.6.14'\n",
                     fs::perms(0755));
  EXPECT_TRUE(CheckEtcdTree(tmp.path(), "3.6.14", HostTarget(), log).ok());
  EXPECT_EQ(testing::ReadFile(tmp.path() / kEtcdVersionRecord), "3.6.14\n");
  Status wrong = CheckEtcdTree(tmp.path(), "3.5.33", HostTarget(), log);
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.error().message, HasSubstr("reports 3.6.14 but buildpack.toml pins 3.5.33"));
  // A foreign target cannot run here: only the presence of the binary is checked.
  const Target foreign{"linux", HostTarget().arch == "amd64" ? "arm64" : "amd64"};
  EXPECT_TRUE(CheckEtcdTree(tmp.path(), "9.9.9", foreign, log).ok());
  testing::WriteFile(tmp.path() / "bin/etcd", "#!/bin/sh\nexit 3\n", fs::perms(0755));
  EXPECT_THAT(CheckEtcdTree(tmp.path(), "3.6.14", HostTarget(), log).error().message,
              HasSubstr("exit code 3"));
}

TEST(InstallEtcdTest, RecordsTheInstalledVersionInTheTree) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::FakeServices services;
  const std::string body = testing::FakeEtcdRelease("3.5.30");
  const Dependency dep = testing::MakeDependency("3.5.30", "https://example.test/etcd.tgz", body);
  services.fetcher.bodies[dep.uri] = body;
  ReleaseDelivery delivery;
  delivery.dependency = dep;
  delivery.destination = tmp.path() / "etcd";
  delivery.target = HostTarget();
  Services wired = services.Make();
  Result<ArchiveReport> report = InstallRelease(EtcdProvision(BuildSettings()), delivery,
                                                services.fetcher, wired.retry, services.log);
  ASSERT_TRUE(report.ok()) << report.error().message;
  // The launch helper reads this at run time instead of running etcd --version.
  EXPECT_EQ(testing::ReadFile(tmp.path() / "etcd" / kEtcdVersionRecord), "3.5.30\n");
}

}  // namespace
}  // namespace bp
