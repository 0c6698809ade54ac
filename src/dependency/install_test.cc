#include "dependency/install.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/sha256.h"
#include "dependency/etcd.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using testing::FakeEtcdRelease;
using ::testing::HasSubstr;

class UnpackArchiveTest : public ::testing::Test {
 protected:
  ArchiveJob Job(const std::string& body) {
    ArchiveJob job;
    job.uri = "https://example.com/etcd.tar.gz";
    job.sha256 = Sha256Hex(body);
    job.destination = tmp_.path() / "layer";
    job.rules = PlacementRules(testing::EtcdPlacing({"etcd", "etcdctl", "etcdutl"}), 1);
    services_.fetcher.bodies[job.uri] = body;
    return job;
  }
  Result<ArchiveReport> Install(const ArchiveJob& job) {
    Services services = services_.Make();
    return UnpackArchive(job, services_.fetcher, services.retry, services_.log);
  }
  std::vector<std::string> Entries() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(tmp_.path()))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  ScopedTempDir tmp_ = testing::MakeTempDir();
  testing::FakeServices services_;
};

TEST_F(UnpackArchiveTest, InstallsAndReplacesAWholeDirectory) {
  const std::string body = FakeEtcdRelease("3.6.14");
  testing::WriteFile(tmp_.path() / "layer/stale-file", "old");
  Result<ArchiveReport> report = Install(Job(body));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report.value().attempts, 1);
  EXPECT_EQ(report.value().bytes, body.size());
  EXPECT_TRUE(fs::exists(tmp_.path() / "layer/bin/etcd"));
  EXPECT_FALSE(fs::exists(tmp_.path() / "layer/stale-file"));
  EXPECT_EQ(Entries(), std::vector<std::string>{"layer"});
}

TEST_F(UnpackArchiveTest, RetriesTransientFailuresThenSucceeds) {
  ArchiveJob job = Job(FakeEtcdRelease("3.6.14"));
  services_.fetcher.failures[job.uri] = {MakeError(ErrorKind::kUnavailable, "HTTP 500"),
                                         MakeError(ErrorKind::kUnavailable, "HTTP 500")};
  Result<ArchiveReport> report = Install(job);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report.value().attempts, 3);
  EXPECT_EQ(services_.fetcher.requested.size(), 3u);
  EXPECT_EQ(services_.sleeps.size(), 2u);
}

TEST_F(UnpackArchiveTest, PermanentFailureMakesOneRequestAndLeavesNothing) {
  ArchiveJob job = Job(FakeEtcdRelease("3.6.14"));
  services_.fetcher.failures[job.uri] = {MakeError(ErrorKind::kNetwork, "HTTP 404")};
  Result<ArchiveReport> report = Install(job);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(services_.fetcher.requested.size(), 1u);
  EXPECT_TRUE(Entries().empty());
}

TEST_F(UnpackArchiveTest, ChecksumMismatchLeavesTheOldDirectoryAlone) {
  ArchiveJob job = Job(FakeEtcdRelease("3.6.14"));
  job.sha256 = std::string(64, 'f');
  testing::WriteFile(tmp_.path() / "layer/keep", "old");
  Result<ArchiveReport> report = Install(job);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::kChecksum);
  EXPECT_EQ(services_.fetcher.requested.size(), 1u);
  EXPECT_EQ(testing::ReadFile(tmp_.path() / "layer/keep"), "old");
  EXPECT_EQ(Entries(), std::vector<std::string>{"layer"});
}

TEST_F(UnpackArchiveTest, AFailedCheckLeavesNothingHalfWritten) {
  ArchiveJob job = Job(FakeEtcdRelease("3.6.14"));
  job.check = [](const fs::path&) -> Status {
    return MakeError(ErrorKind::kInvalidInput, "wrong version");
  };
  ASSERT_FALSE(Install(job).ok());
  EXPECT_TRUE(Entries().empty());
}

TEST_F(UnpackArchiveTest, KeepsTheVerifiedDownloadWhenAsked) {
  const std::string body = FakeEtcdRelease("3.6.14");
  ArchiveJob job = Job(body);
  job.keep_download_as = tmp_.path() / "cache/dependencies/sha/etcd.tar.gz";
  ASSERT_TRUE(Install(job).ok());
  EXPECT_EQ(testing::ReadFile(job.keep_download_as), body);
  EXPECT_EQ(fs::directory_iterator(job.keep_download_as.parent_path())->path().filename(),
            "etcd.tar.gz");
}

TEST_F(UnpackArchiveTest, ACacheThatCannotTakeTheDownloadIsOnlyAWarning) {
  const std::string body = FakeEtcdRelease("3.6.14");
  ArchiveJob job = Job(body);
  testing::WriteFile(tmp_.path() / "cache", "a file where the cache directory should be");
  job.keep_download_as = tmp_.path() / "cache/dependencies/sha/etcd.tar.gz";
  Result<ArchiveReport> report = Install(job);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_THAT(report.value().cache_warning,
              HasSubstr("cannot create " + (tmp_.path() / "cache/dependencies/sha").string()));
  EXPECT_TRUE(fs::is_regular_file(tmp_.path() / "layer" / "bin" / "etcd"));
}

TEST_F(UnpackArchiveTest, RemovesStagingLeftByAKilledBuild) {
  fs::create_directories(tmp_.path() / ".layer.staging-abc123/tree");
  fs::create_directories(tmp_.path() / ".layer.old-xyz/tree");
  fs::create_directories(tmp_.path() / "cache/sha/.download-q1w2e3");
  ArchiveJob job = Job(FakeEtcdRelease("3.6.14"));
  job.keep_download_as = tmp_.path() / "cache/sha/etcd.tar.gz";
  ASSERT_TRUE(Install(job).ok());
  EXPECT_EQ(Entries(), (std::vector<std::string>{"cache", "layer"}));
  EXPECT_FALSE(fs::exists(tmp_.path() / "cache/sha/.download-q1w2e3"));
}

}  // namespace
}  // namespace bp
