#include "cnb/app_evidence.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;

class AppEvidenceTest : public ::testing::Test {
 protected:
  void Write(const fs::path& relative, const std::string& text) {
    testing::WriteFile(app() / relative, text);
  }
  fs::path app() const { return tmp_.path() / "app"; }
  std::string Found(const ManifestScanLimits& limits = {}) {
    std::optional<ClientEvidence> evidence = FindEtcdClientInApp(app(), limits);
    return evidence ? evidence->client + " in " + evidence->manifest.generic_string() : "-";
  }

  ScopedTempDir tmp_ = testing::MakeTempDir();
};

TEST_F(AppEvidenceTest, EachEcosystemsManifestAtTheRoot) {
  const std::vector<std::pair<std::string, std::string>> apps = {
      {"requirements.txt", "etcd3\n"},
      {"pyproject.toml", "[project]\ndependencies=['aetcd']\n"},
      {"Pipfile", "[packages]\netcd3gw='*'\n"},
      {"setup.cfg", "[options]\ninstall_requires = etcd3\n"},
      {"package.json", R"({"dependencies":{"etcd3":"1"}})"},
      {"go.mod", "module x\nrequire go.etcd.io/etcd/client/v3 v3.5.0\n"},
      {"pom.xml",
       "<project><dependencies><dependency><groupId>io.etcd</groupId><artifactId>jetcd-core</"
       "artifactId>"
       "</dependency></dependencies></project>"},
      {"build.gradle.kts", "dependencies { implementation(\"io.etcd:jetcd-core:0.8.4\") }"},
      {"Gemfile", "gem 'etcdv3'\n"},
      {"Api.csproj",
       "<Project><ItemGroup><PackageReference Include=\"dotnet-etcd\"/></ItemGroup></Project>"},
      {"Cargo.toml", "[dependencies]\netcd-client='0.14'\n"},
  };
  for (const auto& [name, text] : apps) {
    fs::remove_all(app());
    Write(name, text);
    EXPECT_THAT(Found(), HasSubstr(" in " + name)) << name << ": " << Found();
  }
}

TEST_F(AppEvidenceTest, NoManifestOrOnlyNearMissesIsNoEvidence) {
  EXPECT_EQ(Found(), "-") << "no app directory at all";
  Write("app.py", "import etcd3\n");
  Write("README.md", "uses etcd3\n");
  Write("requirements.txt", "flask\n# etcd3\n");
  Write("setup.py", "install_requires=['etcd3']\n");
  EXPECT_EQ(Found(), "-");
}

TEST_F(AppEvidenceTest, RootBeforeSubdirectoriesInNameOrder) {
  Write("services/api/go.mod", "module x\nrequire go.etcd.io/etcd/client/v3 v3.5.0\n");
  Write("b/requirements.txt", "etcd3gw\n");
  EXPECT_EQ(Found(), "etcd3gw in b/requirements.txt");
  Write("requirements-dev.txt", "aetcd\n");
  EXPECT_EQ(Found(), "aetcd in requirements-dev.txt");
}

TEST_F(AppEvidenceTest, InstalledDependenciesHiddenAndDeepDirectoriesAreNotEntered) {
  Write("node_modules/x/package.json", R"({"dependencies":{"etcd3":"1"}})");
  Write("vendor/bundle/Gemfile", "gem 'etcdv3'\n");
  Write(".venv/requirements.txt", "etcd3\n");
  Write("a/b/c/d/requirements.txt", "etcd3\n");
  EXPECT_EQ(Found(), "-");
  Write("a/b/c/requirements.txt", "etcd3\n");
  EXPECT_EQ(Found(), "etcd3 in a/b/c/requirements.txt");
}

TEST_F(AppEvidenceTest, SymlinkedDirectoriesAreNotFollowedButFilesAre) {
  Write("../outside/requirements.txt", "etcd3\n");
  fs::create_directories(app());
  fs::create_directory_symlink(tmp_.path() / "outside", app() / "linked");
  fs::create_directory_symlink(app(), app() / "loop");
  EXPECT_EQ(Found(), "-");
  fs::create_symlink(tmp_.path() / "outside/requirements.txt", app() / "requirements.txt");
  EXPECT_EQ(Found(), "etcd3 in requirements.txt");
}

TEST_F(AppEvidenceTest, OversizedUnreadableAndSpecialFilesAreSkipped) {
  Write("requirements.txt", "etcd3\n" + std::string(2 << 20, '#'));
  EXPECT_EQ(Found(), "-") << "over 1 MiB";
  ManifestScanLimits roomy;
  roomy.max_manifest_bytes = 4 << 20;
  EXPECT_EQ(Found(roomy), "etcd3 in requirements.txt");
  fs::remove(app() / "requirements.txt");
  ASSERT_EQ(::mkfifo((app() / "Gemfile").c_str(), 0644), 0);
  fs::create_directories(app() / "package.json");
  EXPECT_EQ(Found(), "-") << "a FIFO would block; a directory is no file";
}

TEST_F(AppEvidenceTest, TheWalkIsBounded) {
  for (int i = 0; i < 10; ++i) Write("a" + std::to_string(i) + "/requirements.txt", "flask\n");
  Write("z/requirements.txt", "etcd3\n");
  EXPECT_EQ(Found(), "etcd3 in z/requirements.txt");
  ManifestScanLimits few_manifests;
  few_manifests.max_manifests = 10;
  EXPECT_EQ(Found(few_manifests), "-");
  ManifestScanLimits few_entries;
  few_entries.max_entries = 15;
  EXPECT_EQ(Found(few_entries), "-");
  ManifestScanLimits few_bytes;
  few_bytes.max_total_bytes = 60;  // ten "flask\n" files
  EXPECT_EQ(Found(few_bytes), "-");
  few_bytes.max_total_bytes = 66;
  EXPECT_EQ(Found(few_bytes), "etcd3 in z/requirements.txt");
  ManifestScanLimits shallow;
  shallow.max_depth = 0;
  EXPECT_EQ(Found(shallow), "-");
}

}  // namespace
}  // namespace bp
