#include <gtest/gtest.h>

#include "manifests/etcd_clients.h"

namespace bp {
namespace {

std::string Client(ManifestKind kind, std::string_view text) {
  return EtcdClientIn(kind, text).value_or("-");
}

TEST(PythonManifestsTest, RequirementsNameEachClientInPipsForms) {
  const auto requirements = [](std::string_view text) {
    return Client(ManifestKind::kRequirementsTxt, text);
  };
  EXPECT_EQ(requirements("flask==3.0\netcd3==0.12.0\n"), "etcd3");
  EXPECT_EQ(requirements("ETCD3 >= 0.12 ; python_version > '3.8'\r\n"), "etcd3");
  EXPECT_EQ(requirements("aetcd[grpc]~=1.0"), "aetcd");
  EXPECT_EQ(requirements("ETCD3GW\n"), "etcd3gw");
  EXPECT_EQ(requirements("etcd3_gw\n"), "-") << "PEP 503: etcd3-gw is another project";
  EXPECT_EQ(requirements("etcd3 @ https://example.com/etcd3-0.12.0.tar.gz"), "etcd3");
  EXPECT_EQ(requirements("flask \\\n  --hash=sha256:00\netcd3 \\\n  --hash=sha256:11\n"), "etcd3");
  EXPECT_EQ(requirements("-e git+https://github.com/kragniz/python-etcd3.git#egg=etcd3\n"),
            "etcd3");
}

TEST(PythonManifestsTest, RequirementsNearMissesAreNotClients) {
  const auto requirements = [](std::string_view text) {
    return Client(ManifestKind::kRequirementsTxt, text);
  };
  EXPECT_EQ(requirements("etcd3-fake==1.0\netcd3_fake\n"), "-");
  EXPECT_EQ(requirements("# etcd3 is added later\nflask  # not etcd3\n"), "-");
  EXPECT_EQ(requirements("python-etcd==0.4.5\n"), "-")
      << "a v2 client: the v3 gRPC proxy does not serve it";
  EXPECT_EQ(requirements("-r etcd3.txt\n-c etcd3\n./etcd3\n"), "-");
  EXPECT_EQ(requirements(""), "-");
}

TEST(PythonManifestsTest, PyprojectCoversPep621Pep735PoetryAndPdm) {
  const auto pyproject = [](std::string_view text) {
    return Client(ManifestKind::kPyprojectToml, text);
  };
  EXPECT_EQ(pyproject("[project]\nname='a'\ndependencies = ['flask', 'etcd3>=0.12']\n"), "etcd3");
  EXPECT_EQ(pyproject("[project.optional-dependencies]\nkv = ['aetcd']\n"), "aetcd");
  EXPECT_EQ(pyproject("[dependency-groups]\ntest = ['etcd3gw', {include-group = 'x'}]\n"),
            "etcd3gw");
  EXPECT_EQ(pyproject("[tool.poetry.dependencies]\npython = '^3.11'\netcd3 = '^0.12'\n"), "etcd3");
  EXPECT_EQ(pyproject("[tool.poetry.group.dev.dependencies]\nAETCD = '*'\n"), "aetcd");
  EXPECT_EQ(pyproject("[tool.pdm.dev-dependencies]\ntest = ['etcd3']\n"), "etcd3");
}

TEST(PythonManifestsTest, PyprojectNearMissesAndMalformedFiles) {
  const auto pyproject = [](std::string_view text) {
    return Client(ManifestKind::kPyprojectToml, text);
  };
  EXPECT_EQ(
      pyproject(
          "[project]\nname = 'etcd3'\ndescription = 'talks to etcd3'\nkeywords = ['etcd3']\n"),
      "-");
  EXPECT_EQ(pyproject("[build-system]\nrequires = ['etcd3']\n"), "-")
      << "build tools are not the app's";
  EXPECT_EQ(pyproject("[project]\ndependencies = ['etcd3-fake']\n# etcd3\n"), "-");
  EXPECT_EQ(pyproject("[project]\ndependencies = ['etcd3'\n"), "-") << "malformed";
  EXPECT_EQ(pyproject("[project]\ndependencies = 'etcd3'\n"), "-") << "wrong type";
  EXPECT_EQ(pyproject("[project]\ndependencies = ['etcd3 caf\xc3\xa9']\n"), "etcd3")
      << "non-ASCII text is harmless";
}

TEST(PythonManifestsTest, PipfilePackagesAndDevPackages) {
  EXPECT_EQ(Client(ManifestKind::kPipfile, "[packages]\nflask = '*'\n\"etcd3\" = '==0.12'\n"),
            "etcd3");
  EXPECT_EQ(Client(ManifestKind::kPipfile, "[dev-packages]\naetcd = {version = '*'}\n"), "aetcd");
  EXPECT_EQ(
      Client(ManifestKind::kPipfile, "[source]\nname = 'etcd3'\n[packages]\netcd3-fake = '*'\n"),
      "-");
  EXPECT_EQ(Client(ManifestKind::kPipfile, "[packages\netcd3 = '*'\n"), "-");
}

TEST(PythonManifestsTest, SetupCfgOptionsAndExtras) {
  const auto setup_cfg = [](std::string_view text) {
    return Client(ManifestKind::kSetupCfg, text);
  };
  EXPECT_EQ(
      setup_cfg(
          "[metadata]\nname = a\n[options]\ninstall_requires =\n    flask\n    etcd3>=0.12\n"),
      "etcd3");
  EXPECT_EQ(setup_cfg("[options]\ninstall_requires = flask; etcd3gw\n"), "etcd3gw");
  EXPECT_EQ(setup_cfg("[options.extras_require]\nkv =\n  aetcd\n"), "aetcd");
  EXPECT_EQ(setup_cfg("[metadata]\ndescription = etcd3\nkeywords =\n  etcd3\n"), "-");
  EXPECT_EQ(
      setup_cfg(
          "[options]\ninstall_requires =\n  flask\n# etcd3\npython_requires = >=3\n  etcd3\n"),
      "-");
  EXPECT_EQ(setup_cfg("[options]\ninstall_requires = file: requirements.txt\n"), "-");
}

}  // namespace
}  // namespace bp
