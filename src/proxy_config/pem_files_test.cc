#include "proxy_config/pem_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "testing/test_util.h"

namespace bp {
namespace {

ProxySettings WithPem() {
  ProxySettings s;
  s.cacert = TlsFile{"", "CA-PEM", "VCAP ca"};
  s.cert = TlsFile{"/given/path.crt", "", "BPL_ETCD_PROXY_CERT"};
  s.key = TlsFile{"", "KEY-PEM", "VCAP key"};
  return s;
}

TEST(MaterializePemFilesTest, WritesPrivateFilesInAPrivateDirectory) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const fs::path dir = tmp.path() / "etcd-proxy-tls";
  const ProxySettings s = MaterializePemFiles(WithPem(), dir, true).value();
  EXPECT_EQ(s.cacert->path, (dir / "ca.pem").string());
  EXPECT_EQ(s.cert->path, "/given/path.crt");
  EXPECT_EQ(s.key->path, (dir / "key.pem").string());
  EXPECT_TRUE(s.key->pem.empty());
  EXPECT_EQ(testing::ReadFile(dir / "key.pem"), "KEY-PEM");
  EXPECT_EQ(fs::status(dir).permissions(), fs::perms(0700));
  EXPECT_EQ(fs::status(dir / "ca.pem").permissions(), fs::perms(0600));
  EXPECT_EQ(fs::status(dir / "key.pem").permissions(), fs::perms(0600));
  EXPECT_FALSE(fs::exists(dir / "cert.pem"));
  // Again, over the existing files (a restarted sidecar).
  EXPECT_TRUE(MaterializePemFiles(WithPem(), dir, true).ok());
}

TEST(MaterializePemFilesTest, DryRunWritesNothing) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const ProxySettings s = MaterializePemFiles(WithPem(), tmp.path() / "tls", false).value();
  EXPECT_EQ(s.key->path, (tmp.path() / "tls/key.pem").string());
  EXPECT_FALSE(fs::exists(tmp.path() / "tls"));
}

TEST(MaterializePemFilesTest, RefusesASymlinkedOrSharedDirectory) {
  ScopedTempDir tmp = testing::MakeTempDir();
  fs::create_directory(tmp.path() / "elsewhere");
  fs::create_directory_symlink(tmp.path() / "elsewhere", tmp.path() / "tls");
  EXPECT_FALSE(MaterializePemFiles(WithPem(), tmp.path() / "tls", true).ok());
  EXPECT_FALSE(fs::exists(tmp.path() / "elsewhere/key.pem"));
  fs::create_directory(tmp.path() / "open");
  ::chmod((tmp.path() / "open").c_str(), 0777);
  EXPECT_TRUE(MaterializePemFiles(WithPem(), tmp.path() / "open", true).ok());
  EXPECT_EQ(fs::status(tmp.path() / "open").permissions(), fs::perms(0700));
}

TEST(PemDirectoryTest, DifferentCredentialsNeverShareADirectory) {
  ProxySettings other = WithPem();
  other.key->pem = "OTHER-KEY-PEM";
  EXPECT_NE(PemDirectory("/tmp", WithPem()), PemDirectory("/tmp", other));
  EXPECT_EQ(PemDirectory("/tmp", WithPem()), PemDirectory("/tmp", WithPem()));
  EXPECT_EQ(PemDirectory("/tmp", WithPem()).parent_path(), fs::path("/tmp"));
}

TEST(MaterializePemFilesTest, SameCredentialsLeaveTheFirstHelpersFilesUntouched) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const fs::path dir = tmp.path() / "tls";
  ASSERT_TRUE(MaterializePemFiles(WithPem(), dir, true).ok());
  struct stat before {};
  ASSERT_EQ(::stat((dir / "key.pem").c_str(), &before), 0);
  ASSERT_TRUE(MaterializePemFiles(WithPem(), dir, true).ok());
  struct stat after {};
  ASSERT_EQ(::stat((dir / "key.pem").c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);
}

TEST(TempDirTest, TmpdirElseSlashTmp) {
  Env env;
  EXPECT_EQ(TempDir(env), "/tmp");
  env.Set("TMPDIR", "/home/vcap/tmp");
  EXPECT_EQ(TempDir(env), "/home/vcap/tmp");
}

}  // namespace
}  // namespace bp
