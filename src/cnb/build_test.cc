#include "cnb/build.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/sha256.h"
#include "base/sidecar_marker.h"
#include "base/strings.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;

using testing::FakeEtcdRelease;
using testing::ReadFile;
using testing::WriteFile;

// A stand-in for bin/etcd-proxy: `components` lists what it "links", as the real helper does.
constexpr char kFakeHelper[] =
    "#!/bin/sh\n"
    "if [ \"$1\" = components ]; then\n"
    "  echo components >> \"$(dirname \"$0\")/../components-runs\"\n"
    "  echo '{\"components\": [{\"name\": \"openssl\", \"version\": \"3.0.17\", \"license\": "
    "\"Apache-2.0\",'\n"
    "  echo '  \"purl\": \"pkg:generic/openssl@3.0.17\", \"cpe\": "
    "\"cpe:2.3:a:openssl:openssl:3.0.17:*:*:*:*:*:*:*\"}]}'\n"
    "  exit 0\n"
    "fi\n"
    "echo helper\n";

constexpr char kUri35[] =
    "https://github.com/etcd-io/etcd/releases/download/v3.5.0/etcd-v3.5.0-linux.tar.gz";
constexpr char kUri36[] =
    "https://github.com/etcd-io/etcd/releases/download/v3.6.0/etcd-v3.6.0-linux.tar.gz";

class BuildTest : public ::testing::Test {
 protected:
  BuildTest() {
    release35_ = FakeEtcdRelease("3.5.0");
    release36_ = FakeEtcdRelease("3.6.0");
    services_.fetcher.bodies[kUri35] = release35_;
    services_.fetcher.bodies[kUri36] = release36_;
    const std::string arch = HostTarget().arch;
    WriteFile(Bp() / "buildpack.toml",
              "api = '0.10'\n[buildpack]\nid = 'etcdproxy/etcd-proxy'\nversion = '0.1.0'\n"
              "name = 'etcd-proxy Buildpack'\n[metadata.default-versions]\netcd = '3.*'\n" +
                  Entry("3.5.0", kUri35, release35_, arch) +
                  Entry("3.6.0", kUri36, release36_, arch));
    WriteFile(Bp() / "bin/etcd-proxy", kFakeHelper, fs::perms(0755));
    fs::create_directories(tmp_.path() / "layers");
  }
  static std::string Entry(const std::string& version, const std::string& uri,
                           const std::string& body, const std::string& arch) {
    return "[[metadata.dependencies]]\nid = 'etcd'\nversion = '" + version + "'\nuri = '" + uri +
           "'\nsha256 = '" + Sha256Hex(body) + "'\nos = 'linux'\narch = '" + arch +
           "'\nstrip-components = 1\nlicenses = ['Apache-2.0']\n";
  }
  fs::path Bp() const { return tmp_.path() / "bp"; }
  fs::path Layers() const { return tmp_.path() / "layers"; }
  BuildContext Context() {
    BuildContext context;
    context.layers_dir = Layers();
    context.platform_dir = tmp_.path() / "platform";
    context.plan_path = tmp_.path() / "plan.toml";
    context.buildpack_dir = Bp();
    context.env = env_;
    context.target = HostTarget();
    return context;
  }
  Status Run() {
    Services services = services_.Make();
    return Build(Context(), services);
  }

  ScopedTempDir tmp_ = testing::MakeTempDir();
  testing::FakeServices services_;
  Env env_;
  std::string release35_;
  std::string release36_;
};

TEST_F(BuildTest, FirstBuildContributesLayersSbomsAndLaunchToml) {
  Status status = Run();
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(services_.fetcher.requested, std::vector<std::string>{kUri36});
  EXPECT_TRUE(fs::exists(Layers() / "etcd/bin/etcd"));
  EXPECT_TRUE(fs::exists(Layers() / "etcd/bin/etcdctl"));
  EXPECT_EQ(ReadFile(Layers() / "helper/bin/etcd-proxy"), kFakeHelper);
  EXPECT_EQ(fs::status(Layers() / "helper").permissions(), fs::perms(0755));
  const std::string etcd_toml = ReadFile(Layers() / "etcd.toml");
  EXPECT_THAT(etcd_toml, HasSubstr("version = \"3.6.0\""));
  EXPECT_THAT(etcd_toml, HasSubstr("sha256 = \"" + Sha256Hex(release36_) + "\""));
  EXPECT_THAT(ReadFile(Layers() / "helper.toml"), HasSubstr("buildpack-version = \"0.1.0\""));
  EXPECT_TRUE(fs::exists(Layers() / "etcd.sbom.cdx.json"));
  EXPECT_TRUE(fs::exists(Layers() / "etcd.sbom.spdx.json"));
  EXPECT_THAT(ReadFile(Layers() / "helper.sbom.cdx.json"),
              HasSubstr("\"purl\": \"pkg:generic/openssl@3.0.17\""));
  EXPECT_THAT(ReadFile(Layers() / "helper.sbom.spdx.json"),
              HasSubstr("\"relationshipType\": \"CONTAINS\""));
  EXPECT_THAT(ReadFile(Layers() / "launch.toml"), HasSubstr("type = \"etcd-proxy\""));
  EXPECT_TRUE(services_.log.Contains(
      "Selected etcd version (using buildpack.toml default-versions): 3.6.0"));
  EXPECT_TRUE(services_.log.Contains("Installing etcd 3.6.0 (no cached layer)"));
}

// exec.d runs before every process; the marker in env.launch/etcd-proxy/ tells it which one is
// the sidecar (src/base/sidecar_marker.h).
TEST_F(BuildTest, HelperLayerHasTheExecDLinkAndTheSidecarMarker) {
  ASSERT_TRUE(Run().ok());
  const fs::path exec_d = Layers() / "helper/exec.d/etcd-proxy+app";
  ASSERT_TRUE(fs::is_symlink(exec_d));
  EXPECT_EQ(fs::read_symlink(exec_d), fs::path("../bin/etcd-proxy"));
  EXPECT_EQ(ReadFile(exec_d), kFakeHelper);
  EXPECT_EQ(
      ReadFile(Layers() / "helper/env.launch/etcd-proxy/BPI_ETCD_PROXY_PROCESS_TYPE.override"),
      "etcd-proxy");
  EXPECT_FALSE(fs::exists(Layers() / "helper/env.launch/BPI_ETCD_PROXY_PROCESS_TYPE.override"));
}

// The launcher treats exec.d/<type> and env.launch/<type> as directories for the process of that
// type and fails the launch when one is a file (lifecycle launch/launcher.go, env/env.go). So no
// file directly in a launch layer's exec.d/, env/ or env.launch/ may be nameable as a process type;
// the one directory there, env.launch/etcd-proxy/, is meant for our process type.
TEST_F(BuildTest, NoLaunchLayerFileIsNamedLikeAProcessType) {
  ASSERT_TRUE(Run().ok());
  int checked = 0;
  for (const char* layer : {"etcd", "helper"}) {
    for (const char* sub : {"exec.d", "env", "env.launch"}) {
      const fs::path dir = Layers() / layer / sub;
      if (!fs::is_directory(dir)) continue;
      for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_directory() && !entry.is_symlink()) {
          EXPECT_EQ(std::string(sub) + "/" + name, "env.launch/etcd-proxy") << "in layer " << layer;
          continue;
        }
        ++checked;
        EXPECT_FALSE(CouldBeProcessType(name.c_str())) << layer << "/" << sub << "/" << name;
      }
    }
  }
  EXPECT_GE(checked, 1);  // at least the exec.d program was looked at
}

TEST(ProcessTypeNameTest, FollowsTheLaunchTomlAlphabet) {
  EXPECT_TRUE(CouldBeProcessType("etcd-proxy"));
  EXPECT_TRUE(CouldBeProcessType("web.v2_A-1"));
  EXPECT_FALSE(CouldBeProcessType(""));
  EXPECT_FALSE(CouldBeProcessType("etcd-proxy+app"));
  EXPECT_FALSE(CouldBeProcessType("a/b"));
}

// An image built before the exec.d program was renamed: its restored helper layer records exec-d
// layout 1 and holds exec.d/etcd-proxy. The changed layout replaces the layer as a whole.
TEST_F(BuildTest, HelperLayerWithTheOldExecDNameIsReplaced) {
  ASSERT_TRUE(Run().ok());
  std::string toml = ReadFile(Layers() / "helper.toml");
  const std::size_t at = toml.find("exec-d = \"2\"");
  ASSERT_NE(at, std::string::npos) << toml;
  toml.replace(at, std::string("exec-d = \"2\"").size(), "exec-d = \"1\"");
  WriteFile(Layers() / "helper.toml", toml);
  fs::rename(Layers() / "helper/exec.d/etcd-proxy+app", Layers() / "helper/exec.d/etcd-proxy");
  ASSERT_TRUE(Run().ok());
  EXPECT_FALSE(fs::exists(fs::symlink_status(Layers() / "helper/exec.d/etcd-proxy")));
  EXPECT_TRUE(fs::is_symlink(Layers() / "helper/exec.d/etcd-proxy+app"));
  EXPECT_THAT(ReadFile(Layers() / "helper.toml"), HasSubstr("exec-d = \"2\""));
}

TEST_F(BuildTest, RestoredHelperLayerWithoutExecDIsReinstalled) {
  ASSERT_TRUE(Run().ok());
  fs::remove(Layers() / "helper/exec.d/etcd-proxy+app");
  ASSERT_TRUE(Run().ok());
  EXPECT_TRUE(fs::is_symlink(Layers() / "helper/exec.d/etcd-proxy+app"));
}

TEST_F(BuildTest, RebuildReusesEverythingWithoutTheNetwork) {
  ASSERT_TRUE(Run().ok());
  const auto mtime = fs::last_write_time(Layers() / "etcd/bin/etcd");
  services_.fetcher.requested.clear();
  ASSERT_TRUE(Run().ok());
  EXPECT_TRUE(services_.fetcher.requested.empty());
  EXPECT_EQ(fs::last_write_time(Layers() / "etcd/bin/etcd"), mtime);
  EXPECT_TRUE(services_.log.Contains("Reusing cached layer " + (Layers() / "etcd").string()));
  EXPECT_TRUE(services_.log.Contains("Reusing cached layer " + (Layers() / "helper").string()));
}

TEST_F(BuildTest, RestoredMetadataThatIsGarbageOrFloatsMeansReinstall) {
  ASSERT_TRUE(Run().ok());
  for (const char* restored :
       {"[metadata]\nversion = 3.6\n", "garbage [[[", "[metadata]\nlayout = 1.0\n"}) {
    WriteFile(Layers() / "etcd.toml", restored);
    services_.fetcher.requested.clear();
    ASSERT_TRUE(Run().ok()) << restored;
    EXPECT_EQ(services_.fetcher.requested.size(), 1u) << restored;
  }
}

TEST_F(BuildTest, VersionChangeReinstallsAndRewritesMetadataAndSbom) {
  ASSERT_TRUE(Run().ok());
  env_.Set("BP_ETCD_VERSION", "~3.5");
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(services_.fetcher.requested.back(), kUri35);
  EXPECT_THAT(ReadFile(Layers() / "etcd.toml"), HasSubstr("version = \"3.5.0\""));
  EXPECT_THAT(ReadFile(Layers() / "etcd.sbom.cdx.json"), HasSubstr("\"3.5.0\""));
  EXPECT_TRUE(services_.log.Contains("version 3.6.0 → 3.5.0"));
}

TEST_F(BuildTest, MetadataWithoutContentsIsReinstalled) {
  ASSERT_TRUE(Run().ok());
  fs::remove_all(Layers() / "etcd");
  services_.fetcher.requested.clear();
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(services_.fetcher.requested.size(), 1u);
  EXPECT_TRUE(fs::exists(Layers() / "etcd/bin/etcd"));
}

TEST_F(BuildTest, OfflineDependencyNeedsNoNetwork) {
  WriteFile(Bp() / "dependencies" / Sha256Hex(release36_) / "etcd-v3.6.0-linux.tar.gz", release36_);
  ASSERT_TRUE(Run().ok());
  ASSERT_EQ(services_.fetcher.requested.size(), 1u);
  EXPECT_TRUE(StartsWith(services_.fetcher.requested.front(),
                         "file://" + Bp().string() + "/dependencies/"));
  EXPECT_TRUE(services_.log.Contains("Source: offline package"));
}

TEST_F(BuildTest, MappingBindingAndMirrorRedirectTheDownload) {
  WriteFile(tmp_.path() / "platform/bindings/map/type", "dependency-mapping");
  WriteFile(tmp_.path() / "platform/bindings/map" / Sha256Hex(release36_),
            "https://mapped.example/etcd.tgz\n");
  services_.fetcher.bodies["https://mapped.example/etcd.tgz"] = release36_;
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(services_.fetcher.requested,
            std::vector<std::string>{"https://mapped.example/etcd.tgz"});

  fs::remove_all(tmp_.path() / "platform/bindings");
  fs::remove_all(Layers());
  fs::create_directories(Layers());
  env_.Set("BP_DEPENDENCY_MIRROR", "https://mirror.example/{originalHost}");
  const std::string mirrored =
      "https://mirror.example/github.com/etcd-io/etcd/releases/download/v3.6.0/"
      "etcd-v3.6.0-linux.tar.gz";
  services_.fetcher.bodies[mirrored] = release36_;
  services_.fetcher.requested.clear();
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(services_.fetcher.requested, std::vector<std::string>{mirrored});
}

// Where the release may come from is read and checked before any layer is looked at: a setting
// that would fail a download fails a rebuild that reuses the layer too, before anything changes.
TEST_F(BuildTest, BadSourceSettingsFailARebuildThatWouldReuseTheLayer) {
  ASSERT_TRUE(Run().ok());
  const std::string etcd_toml = ReadFile(Layers() / "etcd.toml");
  env_.Set("BP_DEPENDENCY_MIRROR", "http://plain.example/{originalHost}");
  services_.fetcher.requested.clear();
  Status mirrored = Run();
  ASSERT_FALSE(mirrored.ok());
  EXPECT_EQ(OneLine(mirrored.error()),
            "BP_DEPENDENCY_MIRROR must be an https:// or file:// URL; for example "
            "https://mirror.example.org/{originalHost}");
  env_ = Env();
  for (const char* name : {"mirror-a", "mirror-b"}) {
    WriteFile(tmp_.path() / "platform/bindings" / name / "type", "dependency-mirror");
  }
  Status bound = Run();
  ASSERT_FALSE(bound.ok());
  EXPECT_THAT(bound.error().message, HasSubstr("are both of type dependency-mirror"));
  EXPECT_TRUE(services_.fetcher.requested.empty());
  EXPECT_EQ(ReadFile(Layers() / "etcd.toml"), etcd_toml);
  EXPECT_FALSE(services_.log.Contains("Reusing cached layer"));
}

TEST_F(BuildTest, ABadMirrorFailsEvenWhenTheOfflinePackageHasTheRelease) {
  WriteFile(Bp() / "dependencies" / Sha256Hex(release36_) / "etcd-v3.6.0-linux.tar.gz", release36_);
  env_.Set("BP_DEPENDENCY_MIRROR", "ftp://mirror.example");
  Status status = Run();
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("BP_DEPENDENCY_MIRROR must be an https://"));
  EXPECT_FALSE(fs::exists(Layers() / "etcd"));
}

// The helper's SBOM is written when its layer is installed; a rebuild that reuses the layer
// keeps it and never runs `etcd-proxy components` (kFakeHelper counts its runs).
TEST_F(BuildTest, ARebuildDoesNotRunTheHelperAgain) {
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(ReadFile(Bp() / "components-runs"), "components\n");
  const std::string sbom = ReadFile(Layers() / "helper.sbom.cdx.json");
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(ReadFile(Bp() / "components-runs"), "components\n");
  EXPECT_EQ(ReadFile(Layers() / "helper.sbom.cdx.json"), sbom);
}

TEST_F(BuildTest, ChecksumMismatchFailsAndLeavesNoEtcdLayer) {
  services_.fetcher.bodies[kUri36] = FakeEtcdRelease("3.6.0", "tampered");
  Status status = Run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kChecksum);
  EXPECT_THAT(status.error().message,
              HasSubstr("installing etcd 3.6.0: sha256 mismatch for " + std::string(kUri36)));
  EXPECT_FALSE(fs::exists(Layers() / "etcd"));
  EXPECT_FALSE(fs::exists(Layers() / "etcd.toml"));
  for (const auto& e : fs::directory_iterator(Layers()))
    ADD_FAILURE() << "left behind: " << e.path();
}

TEST_F(BuildTest, AnAppUsingPythonEtcd3IsToldOnceWhatGrpcProxyBreaksForIt) {
  BuildContext context = Context();
  context.app_dir = tmp_.path() / "app";
  WriteFile(context.app_dir / "requirements.txt", "flask\netcd3==0.12.0\n");
  Services services = services_.Make();
  ASSERT_TRUE(Build(context, services).ok());
  std::vector<std::string> warnings;
  for (const std::string& line : services_.log.lines()) {
    if (line.rfind("warning: ", 0) == 0) warnings.push_back(line);
  }
  ASSERT_EQ(warnings.size(), 1u) << ::testing::PrintToString(services_.log.lines());
  EXPECT_THAT(warnings[0],
              HasSubstr("python-etcd3: Lease.refresh and Lock.refresh fail through grpc-proxy"));
  EXPECT_THAT(warnings[0], HasSubstr("(etcd client etcd3 in requirements.txt)"));
}

TEST_F(BuildTest, AnAppUsingNodeEtcd3GetsNoClientWarning) {
  BuildContext context = Context();
  context.app_dir = tmp_.path() / "app";
  WriteFile(context.app_dir / "package.json", R"({"dependencies": {"etcd3": "^1.1.2"}})");
  Services services = services_.Make();
  ASSERT_TRUE(Build(context, services).ok());
  for (const std::string& line : services_.log.lines())
    EXPECT_EQ(line.rfind("warning: ", 0), std::string::npos) << line;
}

TEST_F(BuildTest, UnsatisfiableVersionListsWhatExists) {
  env_.Set("BP_ETCD_VERSION", "3.7.*");
  Status status = Run();
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("available: 3.6.0, 3.5.0"));
  EXPECT_TRUE(services_.fetcher.requested.empty());
}

TEST_F(BuildTest, UnlistedTargetArchIsAnError) {
  BuildContext context = Context();
  context.target.arch = "s390x";
  Services services = services_.Make();
  Status status = Build(context, services);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("no etcd for linux/s390x"));
}

TEST_F(BuildTest, HelperThatCannotListItsLibrariesIsAnError) {
  WriteFile(Bp() / "bin/etcd-proxy", "#!/bin/sh\necho not json\n", fs::perms(0755));
  Status status = Run();
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("listing the libraries in the launch helper"))
      << status.error().message;
  EXPECT_FALSE(fs::exists(Layers() / "helper.sbom.cdx.json"));
}

TEST_F(BuildTest, MissingHelperIsAnError) {
  fs::remove(Bp() / "bin/etcd-proxy");
  Status status = Run();
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("launch helper"));
}

}  // namespace
}  // namespace bp
