#include "dependency/buildpack_toml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/files.h"
#include "base/purl.h"
#include "base/strings.h"
#include "testing/source_dir.h"

namespace bp {
namespace {

using ::testing::HasSubstr;

constexpr char kMinimal[] = R"(
api = "0.10"
[buildpack]
id = "x/y"
version = "1.2.3"
[[metadata.dependencies]]
id = "etcd"
version = "3.6.14"
uri = "https://example.com/etcd.tgz"
sha256 = "ffe840ff9295808e88cce2794a18a5ac87f12a5203c8314d0bf6aa119b41bac5"
)";

// Each purl is canonical (qualifier values percent-encoded) and names what its entry installs.
TEST(BuildpackTomlTest, TheShippedPurlsAreCanonicalAndMatchTheirEntries) {
  const BuildpackDescriptor d = ReadBuildpackToml(testing::SourceDir()).value();
  ASSERT_FALSE(d.dependencies.empty());
  for (const Dependency& dep : d.dependencies) {
    Result<Purl> purl = ParsePurl(dep.purl);
    ASSERT_TRUE(purl.ok()) << dep.purl;
    EXPECT_EQ(purl.value().ToString(), dep.purl) << "not canonical";
    EXPECT_EQ(purl.value().type, "generic") << dep.purl;
    EXPECT_EQ(purl.value().name, dep.name) << dep.purl;
    EXPECT_EQ(purl.value().version, dep.version) << dep.purl;
    const std::map<std::string, std::string> qualifiers = {{"arch", dep.arch},
                                                           {"download_url", dep.uri}};
    EXPECT_EQ(purl.value().qualifiers, qualifiers) << dep.purl;
  }
}

// The default version is stated once, in [metadata.default-versions]; what else shows it must
// agree.
TEST(BuildpackTomlTest, TheConfiguredDefaultVersionIsTheDefaultVersion) {
  const BuildpackDescriptor d = ReadBuildpackToml(testing::SourceDir()).value();
  const std::string default_version = d.default_versions.at("etcd");
  bool found = false;
  for (const Configuration& c : d.configurations) {
    if (c.name != "BP_ETCD_VERSION") continue;
    found = true;
    EXPECT_EQ(c.default_value, default_version)
        << "[[metadata.configurations]] BP_ETCD_VERSION default";
  }
  EXPECT_TRUE(found);
  const std::string readme = ReadSmallFile(testing::SourceDir() / "README.md", 1 << 20).value();
  const size_t row = readme.find("\n| `BP_ETCD_VERSION` |");
  ASSERT_NE(row, std::string::npos) << "README's settings table has no BP_ETCD_VERSION row";
  const std::string line = readme.substr(row + 1, readme.find('\n', row + 1) - row - 1);
  EXPECT_TRUE(EndsWith(line, "| `" + default_version + "` (`default-versions`) |")) << line;
}

TEST(BuildpackTomlTest, TheShippedDescriptorIsCompleteAndConsistent) {
  Result<BuildpackDescriptor> bp = ReadBuildpackToml(testing::SourceDir());
  ASSERT_TRUE(bp.ok()) << bp.error().message;
  const BuildpackDescriptor& d = bp.value();
  EXPECT_EQ(d.api, "0.10");
  EXPECT_EQ(d.id, "etcdproxy/etcd-proxy");
  ASSERT_TRUE(ParseVersion(d.version).has_value());
  EXPECT_EQ(d.default_versions.at("etcd"), "3.6.*");
  ASSERT_EQ(d.targets.size(), 2u);
  EXPECT_EQ(d.sbom_formats,
            (std::vector<std::string>{"application/vnd.cyclonedx+json", "application/spdx+json"}));
  EXPECT_EQ(d.licenses, std::vector<std::string>{"Apache-2.0"});
  EXPECT_EQ(d.cf_stacks, (std::vector<std::string>{"cflinuxfs4", "cflinuxfs5"}));
  ASSERT_EQ(d.dependencies.size(), 4u);
  for (const Dependency& dep : d.dependencies) {
    EXPECT_EQ(dep.strip_components, 1);
    EXPECT_EQ(dep.licenses, std::vector<std::string>{"Apache-2.0"});
    EXPECT_TRUE(StartsWith(
        dep.uri, "https://github.com/etcd-io/etcd/releases/download/v" + dep.version + "/"));
    EXPECT_TRUE(EndsWith(dep.uri, "-linux-" + dep.arch + ".tar.gz"));
    EXPECT_THAT(dep.purl, HasSubstr("arch=" + dep.arch));
    ASSERT_EQ(dep.cpes.size(), 1u);
  }
  // Every setting the code reads is declared, so the build prints it in its table.
  std::vector<std::string> names;
  for (const Configuration& c : d.configurations) names.push_back(c.name);
  for (const char* name : {"BP_ETCD_VERSION",
                           "BP_ETCD_PROXY_ENABLED",
                           "BP_DEPENDENCY_MIRROR",
                           "BP_LOG_LEVEL",
                           "BP_DOWNLOAD_CONNECT_TIMEOUT",
                           "BP_DOWNLOAD_STALL_TIMEOUT",
                           "BP_DOWNLOAD_TIMEOUT",
                           "BP_DOWNLOAD_MAX_SIZE_MB",
                           "BP_ETCD_PROXY_SIDECAR",
                           "BP_ETCD_PROXY_SIDECAR_MEMORY",
                           "BPL_ETCD_PROXY_ENDPOINTS",
                           "BPL_ETCD_PROXY_LISTEN_ADDR",
                           "BPL_ETCD_PROXY_NAMESPACE",
                           "BPL_ETCD_PROXY_CACERT",
                           "BPL_ETCD_PROXY_CERT",
                           "BPL_ETCD_PROXY_KEY",
                           "BPL_ETCD_PROXY_METRICS_ADDR",
                           "BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY",
                           "BPL_ETCD_PROXY_DATA_DIR",
                           "BPL_ETCD_PROXY_BINDING",
                           "BPL_ETCD_PROXY_EMBEDDED",
                           "BPL_ETCD_PROXY_START_TIMEOUT",
                           "BPL_ETCD_PROXY_SHUTDOWN_DELAY"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

TEST(BuildpackTomlTest, ReadsPaketoKeysAndDefaults) {
  Result<BuildpackDescriptor> bp = ParseBuildpackToml(std::string(kMinimal) + R"(
os = "linux"
arch = "arm64"
purl = "pkg:generic/etcd@3.6.14"
cpes = ["cpe:a", "cpe:b"]
licenses = [{ type = "Apache-2.0" }, "MIT"]
strip-components = 1
deprecation_date = "2027-01-01T00:00:00Z"
[[metadata.dependencies]]
id = "etcd"
version = "3.5.0"
uri = "https://example.com/old.tgz"
checksum = "sha256:5025b5b24d81a9616b6e284ccd439b9a3df055ef8fdcdc142af3ec8f6a3b3c95"
)",
                                                      "test.toml");
  ASSERT_TRUE(bp.ok()) << bp.error().message;
  const Dependency& dep = bp.value().dependencies[0];
  EXPECT_EQ(dep.name, "etcd");  // defaults to the id
  EXPECT_EQ(dep.arch, "arm64");
  EXPECT_EQ(dep.cpes, (std::vector<std::string>{"cpe:a", "cpe:b"}));
  EXPECT_EQ(dep.licenses, (std::vector<std::string>{"Apache-2.0", "MIT"}));
  EXPECT_EQ(dep.strip_components, 1);
  EXPECT_EQ(bp.value().dependencies[1].sha256,
            "5025b5b24d81a9616b6e284ccd439b9a3df055ef8fdcdc142af3ec8f6a3b3c95");
  EXPECT_EQ(bp.value().dependencies[1].strip_components, 0);
}

TEST(BuildpackTomlTest, BadInputIsAnErrorNamingTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"api = ", "line 1"},
      {"api = 1\n[buildpack]\nid='a'\nversion='1.0.0'", "api must be a string"},
      {"[buildpack]\nversion='1.0.0'", "[buildpack] id is missing"},
      {"[buildpack]\nid='a'\nversion='1.0.0'\n[[metadata.dependencies]]\nid='etcd'\nversion='x'"
       "\nuri='u'\nsha256='" +
           std::string(64, 'a') + "'",
       "version \"x\" is not a semantic version"},
      {"[buildpack]\nid='a'\nversion='1.0.0'\n[[metadata.dependencies]]\nid='etcd'\nversion='1.0.0'"
       "\nuri='u'\nsha256='ABC'",
       "sha256 must be 64 lowercase hex digits"},
      {"[buildpack]\nid='a'\nversion='1.0.0'\n[[metadata.dependencies]]\nid='etcd'\nversion='1.0.0'"
       "\nsha256='" +
           std::string(64, 'a') + "'",
       "has no uri"},
      {"[buildpack]\nid='a'\nversion='1.0.0'\n[metadata]\ndependencies = [1]", "must be tables"},
      {"[buildpack]\nid='a'\nversion='1.0.0'\n[metadata.default-versions]\netcd = 3",
       "default-versions] etcd must be a string"},
      {"[buildpack]\nid='a'\nversion='1.0.0'\n[[metadata.configurations]]\nname='X'\nbuild='yes'",
       "build must be true or false"},
  };
  for (const auto& [text, expected] : cases) {
    Result<BuildpackDescriptor> bp = ParseBuildpackToml(text, "bad.toml");
    ASSERT_FALSE(bp.ok()) << "<< " << text;
    EXPECT_EQ(bp.error().kind, ErrorKind::kInvalidInput);
    EXPECT_THAT(bp.error().message, HasSubstr(expected));
    EXPECT_THAT(bp.error().message, HasSubstr("bad.toml"));
  }
}

TEST(BuildpackTomlTest, MissingFileIsAnIoError) {
  Result<BuildpackDescriptor> bp = ReadBuildpackToml("/nonexistent/buildpack");
  ASSERT_FALSE(bp.ok());
  EXPECT_EQ(bp.error().kind, ErrorKind::kIo);
  EXPECT_THAT(bp.error().message, HasSubstr("/nonexistent/buildpack/buildpack.toml"));
}

}  // namespace
}  // namespace bp
