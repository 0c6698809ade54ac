#include "dependency/tarball.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dependency/etcd.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;

using testing::MakeTarGz;
using testing::TarDirectory;
using testing::TarEntry;
using testing::TarFile;
using testing::TarHardlink;
using testing::TarSpecial;
using testing::TarSymlink;
using Type = TarEntry::Type;

Result<ExtractReport> Extract(const std::string& archive, const fs::path& dest) {
  StringSource source(archive, 1000);
  return ExtractTarball(source, dest,
                        PlacementRules(testing::EtcdPlacing({"etcd", "etcdctl", "etcdutl"}), 1));
}

std::vector<std::string> Listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    names.push_back(fs::relative(entry.path(), dir).string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ExtractTarballTest, PlacesOnlyTheEtcdBinariesWithTheirModes) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const std::string archive = MakeTarGz({
      TarDirectory("etcd-v3.6.14-linux-amd64"),
      TarFile("etcd-v3.6.14-linux-amd64/etcd", "ETCD", 0755),
      TarFile("etcd-v3.6.14-linux-amd64/etcdctl", "CTL", 0755),
      TarFile("etcd-v3.6.14-linux-amd64/etcdutl", "UTL", 0700),
      TarFile("etcd-v3.6.14-linux-amd64/README.md", "docs", 0644),
      TarFile("etcd-v3.6.14-linux-amd64/Documentation/dev-guide/a.md", "docs"),
      TarSymlink("etcd-v3.6.14-linux-amd64/docs-link", "README.md"),
  });
  Result<ExtractReport> report = Extract(archive, tmp.path());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report.value().placed,
            (std::vector<std::string>{"bin/etcd", "bin/etcdctl", "bin/etcdutl"}));
  EXPECT_EQ(report.value().entries, 7u);
  EXPECT_EQ(Listing(tmp.path()),
            (std::vector<std::string>{"bin", "bin/etcd", "bin/etcdctl", "bin/etcdutl"}));
  EXPECT_EQ(testing::ReadFile(tmp.path() / "bin/etcd"), "ETCD");
  EXPECT_EQ(fs::status(tmp.path() / "bin/etcd").permissions(), fs::perms(0755));
  EXPECT_EQ(fs::status(tmp.path() / "bin/etcdutl").permissions(), fs::perms(0755));
}

struct MaliciousCase {
  const char* name;
  std::vector<TarEntry> extra;
  const char* expected;
};

class MaliciousArchiveTest : public ::testing::TestWithParam<MaliciousCase> {};

TEST_P(MaliciousArchiveTest, RefusesTheWholeArchiveAndWritesNothingOutside) {
  const MaliciousCase& c = GetParam();
  ScopedTempDir tmp = testing::MakeTempDir();
  fs::create_directory(tmp.path() / "dest");
  std::vector<TarEntry> entries = {TarFile("top/etcd", "#!/bin/sh\n")};
  entries.insert(entries.end(), c.extra.begin(), c.extra.end());
  Result<ExtractReport> report = Extract(MakeTarGz(entries), tmp.path() / "dest");
  ASSERT_FALSE(report.ok()) << c.name;
  EXPECT_EQ(report.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(report.error().message, HasSubstr(c.expected));
  EXPECT_EQ(Listing(tmp.path()), (std::vector<std::string>{"dest", "dest/bin", "dest/bin/etcd"}))
      << c.name;
  EXPECT_FALSE(fs::exists("/tmp/bp-evil-absolute"));
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, MaliciousArchiveTest,
    ::testing::Values(
        MaliciousCase{"dotdot", {TarFile("top/../../evil", "x")}, "climbs out with \"..\""},
        MaliciousCase{"absolute", {TarFile("/tmp/bp-evil-absolute", "x")}, "has an absolute path"},
        MaliciousCase{
            "symlink-up", {TarSymlink("top/link", "../../..")}, "links outside the archive"},
        MaliciousCase{
            "symlink-abs", {TarSymlink("top/link", "/etc/passwd")}, "links outside the archive"},
        MaliciousCase{
            "hardlink", {TarHardlink("top/hard", "../../etc/passwd")}, "hard-links outside"},
        MaliciousCase{"device", {TarSpecial("top/null", Type::kCharDevice)}, "is a device file"},
        MaliciousCase{"fifo", {TarSpecial("top/pipe", Type::kFifo)}, "is a FIFO"},
        MaliciousCase{"duplicate", {TarFile("top/etcd", "again")}, "appears twice"}),
    [](const auto& param_info) {
      std::string n = param_info.param.name;
      std::replace(n.begin(), n.end(), '-', '_');
      return n;
    });

TEST(ExtractTarballTest, InternalSymlinksAreAllowedButNotExtracted) {
  ScopedTempDir tmp = testing::MakeTempDir();
  Result<ExtractReport> report =
      Extract(MakeTarGz({TarFile("top/etcd", "E"), TarSymlink("top/a/b", "../etcd")}), tmp.path());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(Listing(tmp.path()), (std::vector<std::string>{"bin", "bin/etcd"}));
}

TEST(ExtractTarballTest, AnEtcdThatIsNotARegularFileIsRefused) {
  ScopedTempDir tmp = testing::MakeTempDir();
  Result<ExtractReport> report = Extract(
      MakeTarGz({TarFile("top/etcdctl", "x"), TarSymlink("top/etcd", "etcdctl")}), tmp.path());
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.error().message, HasSubstr("should be a regular file"));
}

TEST(ExtractTarballTest, CorruptOrTruncatedDataIsAnError) {
  const std::string good = testing::FakeEtcdRelease("3.6.14");
  std::string corrupt = good;
  for (size_t i = 20; i < corrupt.size(); i += 7) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
  for (const std::string& bad :
       {corrupt, good.substr(0, good.size() / 2), std::string("not an archive at all")}) {
    ScopedTempDir dest = testing::MakeTempDir();
    Result<ExtractReport> report = Extract(bad, dest.path());
    ASSERT_FALSE(report.ok()) << "<< " << bad.size() << " bytes";
    EXPECT_EQ(report.error().kind, ErrorKind::kInvalidInput) << report.error().message;
  }
}

TEST(ExtractTarballTest, AnEmptyStreamIsNotAnArchive) {
  ScopedTempDir dest = testing::MakeTempDir();
  Result<ExtractReport> report = Extract("", dest.path());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::kInvalidInput);
  EXPECT_TRUE(fs::is_empty(dest.path()));
}

TEST(ExtractTarballTest, OversizedEntriesStopBeforeWriting) {
  ScopedTempDir tmp = testing::MakeTempDir();
  StringSource source(MakeTarGz({TarFile("top/etcd", std::string(5000, 'x'))}));
  ExtractRules rules = PlacementRules(testing::EtcdPlacing({"etcd", "etcdctl", "etcdutl"}), 1);
  rules.max_file_bytes = 4096;
  Result<ExtractReport> report = ExtractTarball(source, tmp.path(), rules);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.error().message, HasSubstr("is larger than 4096 bytes"));
}

TEST(ExtractTarballTest, ASourceErrorIsReportedAsItself) {
  class FailingSource : public ByteSource {
   public:
    Result<std::string_view> Read() override {
      return MakeError(ErrorKind::kUnavailable, "connection reset");
    }
  } source;
  ScopedTempDir tmp = testing::MakeTempDir();
  Result<ExtractReport> report = ExtractTarball(
      source, tmp.path(), PlacementRules(testing::EtcdPlacing({"etcd", "etcdctl", "etcdutl"}), 1));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(report.error().message, "connection reset");
}

}  // namespace
}  // namespace bp
