#include <gtest/gtest.h>

#include "manifests/etcd_clients.h"

namespace bp {
namespace {

std::string Client(ManifestKind kind, std::string_view text) {
  return EtcdClientIn(kind, text).value_or("-");
}

TEST(NodeManifestsTest, EveryDependencySectionAndNpmAliases) {
  const auto package_json = [](std::string_view text) {
    return Client(ManifestKind::kPackageJson, text);
  };
  EXPECT_EQ(package_json(R"({"name":"a","dependencies":{"express":"^4","etcd3":"^1.1.2"}})"),
            "etcd3");
  EXPECT_EQ(package_json(R"({"devDependencies":{"etcd3":"*"}})"), "etcd3");
  EXPECT_EQ(package_json(R"({"optionalDependencies":{"kv":"npm:etcd3@^1.1"}})"), "etcd3");
  EXPECT_EQ(package_json(R"({"peerDependencies":{"etcd3":"1"}})"), "etcd3");
}

TEST(NodeManifestsTest, NearMissesAndMalformedFiles) {
  const auto package_json = [](std::string_view text) {
    return Client(ManifestKind::kPackageJson, text);
  };
  EXPECT_EQ(package_json(R"({"name":"etcd3","description":"uses etcd3","keywords":["etcd3"]})"),
            "-");
  EXPECT_EQ(
      package_json(
          R"({"dependencies":{"etcd3-fake":"1","node-etcd":"7","etcd3x":"npm:etcd3-fake@1"}})"),
      "-");
  EXPECT_EQ(package_json(R"({"scripts":{"etcd3":"etcd3"},"dependencies":["etcd3"]})"), "-");
  EXPECT_EQ(package_json(R"({"dependencies":{"etcd3":"1"})"), "-") << "unterminated";
  EXPECT_EQ(package_json(R"(["dependencies", {"etcd3":"1"}])"), "-");
  EXPECT_EQ(package_json("{\"dependencies\":{\"etcd3\":\"\xff\"}}"), "-") << "invalid UTF-8";
  EXPECT_EQ(package_json(std::string(1 << 20, '[')), "-");
  std::string deep = R"({"dependencies":{"etcd3":"1"},"x":)";
  for (int i = 0; i < 70; ++i) deep += "[";
  for (int i = 0; i < 70; ++i) deep += "]";
  EXPECT_EQ(package_json(deep + "}"), "-") << "nested deeper than any package.json";
  EXPECT_EQ(
      package_json(
          R"({"x":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[","dependencies":{"etcd3":"1"}})"),
      "etcd3")
      << "brackets inside strings do not nest";
}

TEST(GoModTest, DirectRequirementsSingleOrInBlocks) {
  const auto go_mod = [](std::string_view text) { return Client(ManifestKind::kGoMod, text); };
  EXPECT_EQ(go_mod("module x\n\ngo 1.22\n\nrequire go.etcd.io/etcd/client/v3 v3.5.17\n"),
            "go.etcd.io/etcd/client/v3");
  EXPECT_EQ(go_mod("module x\nrequire (\n\tgithub.com/a/b v1.0.0\n\tgo.etcd.io/etcd/client/v3 "
                   "v3.6.0 // pinned\n)\n"),
            "go.etcd.io/etcd/client/v3");
  EXPECT_EQ(go_mod("module x\nrequire \"github.com/coreos/etcd\" v3.3.27+incompatible\n"),
            "github.com/coreos/etcd");
  EXPECT_EQ(go_mod("module x\r\nrequire (\r\n  go.etcd.io/etcd v0.5.0-alpha.5\r\n)\r\n"),
            "go.etcd.io/etcd");
}

TEST(GoModTest, IndirectServerReplaceAndCommentsDoNotCount) {
  const auto go_mod = [](std::string_view text) { return Client(ManifestKind::kGoMod, text); };
  EXPECT_EQ(go_mod("module x\nrequire (\n\tgo.etcd.io/etcd/client/v3 v3.5.17 // indirect\n)\n"),
            "-");
  EXPECT_EQ(go_mod("module x\nrequire go.etcd.io/etcd/server/v3 v3.5.17\nrequire "
                   "go.etcd.io/etcd/api/v3 v3.5.17\n"),
            "-");
  EXPECT_EQ(go_mod("module x\nreplace go.etcd.io/etcd/client/v3 => ../client\nexclude (\n "
                   "go.etcd.io/etcd/client/v3 v3.5.0\n)\n"),
            "-");
  EXPECT_EQ(go_mod("module x // uses go.etcd.io/etcd/client/v3\n// require "
                   "go.etcd.io/etcd/client/v3 v3.5.0\n"),
            "-");
  EXPECT_EQ(go_mod("module go.etcd.io/etcd/client/v3\n"), "-");
  EXPECT_EQ(go_mod("module x\nrequire (\n go.etcd.io/etcd/client/v3 v3.5.0\n"), "-")
      << "unclosed block";
}

TEST(JavaManifestsTest, PomDependenciesCountExclusionsAndPluginsDoNot) {
  const auto pom = [](std::string_view text) { return Client(ManifestKind::kPomXml, text); };
  const std::string dependency =
      "<dependency><groupId>io.etcd</groupId><artifactId>jetcd-core</artifactId></dependency>";
  EXPECT_EQ(pom("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- app -->\n<project "
                "xmlns=\"http://maven.apache.org/POM/4.0.0\">"
                "<dependencies>\n  <dependency>\n    <groupId> io.etcd </groupId>\n    "
                "<artifactId>jetcd-core</artifactId>\n"
                "    <version>0.8.4</version>\n  </dependency>\n</dependencies></project>"),
            "io.etcd:jetcd-core");
  EXPECT_EQ(pom("<project><dependencyManagement><dependencies>" + dependency +
                "</dependencies></dependencyManagement></project>"),
            "io.etcd:jetcd-core");
  EXPECT_EQ(pom("<project><dependencies><dependency><groupId>x</groupId><artifactId>y</"
                "artifactId><exclusions><exclusion>"
                "<groupId>io.etcd</groupId><artifactId>jetcd-core</artifactId></exclusion></"
                "exclusions></dependency>"
                "</dependencies></project>"),
            "-");
  EXPECT_EQ(pom("<project><build><plugins><plugin><dependencies>" + dependency +
                "</dependencies></plugin></plugins></build></project>"),
            "-");
  EXPECT_EQ(pom("<project><description>io.etcd jetcd-core</description><!-- " + dependency +
                " --></project>"),
            "-");
  EXPECT_EQ(pom("<project><dependencies><dependency><groupId>io.etcd</"
                "groupId><artifactId>jetcd-launcher</artifactId>"
                "</dependency></dependencies></project>"),
            "-");
}

TEST(JavaManifestsTest, MalformedPomsGiveNoEvidence) {
  const auto pom = [](std::string_view text) { return Client(ManifestKind::kPomXml, text); };
  const std::string dependency =
      "<dependency><groupId>io.etcd</groupId><artifactId>jetcd-core</artifactId></dependency>";
  EXPECT_EQ(pom("<project><dependencies>" + dependency + "</dependencies>"), "-") << "unclosed";
  EXPECT_EQ(pom("<project><dependencies>" + dependency + "</project>"), "-") << "mismatched";
  EXPECT_EQ(pom("<project>" + dependency + "<!-- </project>"), "-") << "unclosed comment";
  EXPECT_EQ(pom("<project a=b>" + dependency + "</project>"), "-") << "unquoted attribute";
  EXPECT_EQ(pom("<project>" + dependency + "</project><project/>"), "-") << "two roots";
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "<a>";
  EXPECT_EQ(pom(deep + dependency), "-");
  std::string declarations;
  for (int i = 0; i < 100000; ++i) declarations += "<!a>";
  EXPECT_EQ(pom(declarations + "<project>" + dependency + "</project>"), "io.etcd:jetcd-core")
      << "quick, too";
}

TEST(JavaManifestsTest, GradleCoordinatesAndMapNotation) {
  const auto gradle = [](std::string_view text) {
    return Client(ManifestKind::kGradleBuild, text);
  };
  EXPECT_EQ(gradle("dependencies {\n  implementation 'io.etcd:jetcd-core:0.8.4'\n}\n"),
            "io.etcd:jetcd-core");
  EXPECT_EQ(gradle("dependencies {\n  implementation(\"io.etcd:jetcd-core:$jetcdVersion\")\n}\n"),
            "io.etcd:jetcd-core");
  EXPECT_EQ(
      gradle(
          "dependencies { implementation group: 'io.etcd', name: 'jetcd-core', version: '0.8.4' }"),
      "io.etcd:jetcd-core");
  EXPECT_EQ(
      gradle(
          "dependencies {\n  implementation(group = \"io.etcd\",\n    name = \"jetcd-core\")\n}"),
      "io.etcd:jetcd-core");
  EXPECT_EQ(gradle("testImplementation \"\"\"io.etcd:jetcd-core\"\"\""), "io.etcd:jetcd-core");
}

TEST(JavaManifestsTest, GradleNearMisses) {
  const auto gradle = [](std::string_view text) {
    return Client(ManifestKind::kGradleBuild, text);
  };
  EXPECT_EQ(gradle("// implementation 'io.etcd:jetcd-core:0.8.4'\n/* 'io.etcd:jetcd-core' */\n"),
            "-");
  EXPECT_EQ(gradle("implementation('x:y:1') { exclude group: 'io.etcd', module: 'jetcd-core' }"),
            "-");
  EXPECT_EQ(gradle("description = 'a client of io.etcd:jetcd-core'\ntestImplementation "
                   "'io.etcd:jetcd-launcher:0.8'"),
            "-");
  EXPECT_EQ(gradle("def group = 'io.etcd'\ndef name = 'jetcd-core'\n"), "-") << "two statements";
  EXPECT_EQ(gradle("implementation 'io.etcd:jetcd-core:0.8.4\n"), "-") << "unterminated string";
}

TEST(JavaManifestsTest, GradleVersionCatalogs) {
  const auto catalog = [](std::string_view text) {
    return Client(ManifestKind::kGradleCatalog, text);
  };
  EXPECT_EQ(catalog("[libraries]\njetcd = 'io.etcd:jetcd-core:0.8.4'\n"), "io.etcd:jetcd-core");
  EXPECT_EQ(catalog("[libraries]\njetcd = { module = 'io.etcd:jetcd-core', version.ref = 'j' }\n"),
            "io.etcd:jetcd-core");
  EXPECT_EQ(catalog("[libraries]\njetcd = { group = 'io.etcd', name = 'jetcd-core' }\n"),
            "io.etcd:jetcd-core");
  EXPECT_EQ(
      catalog(
          "[versions]\njetcd = 'io.etcd:jetcd-core'\n[libraries]\nx = 'io.etcd:jetcd-test:1'\n"),
      "-");
}

TEST(RubyManifestsTest, GemfileAndTheLockfilesDirectDependencies) {
  EXPECT_EQ(Client(ManifestKind::kGemfile,
                   "source 'https://rubygems.org'\ngem \"etcdv3\", \"~> 0.11\"\n"),
            "etcdv3");
  EXPECT_EQ(Client(ManifestKind::kGemfile, "group :production do\n  gem('etcdv3')\nend\n"),
            "etcdv3");
  EXPECT_EQ(
      Client(ManifestKind::kGemfile, "# gem 'etcdv3'\ngem 'etcdv3-fake'\ngem 'etcd'\ngemspec\n"),
      "-");
  const std::string lock =
      "GEM\n  remote: https://rubygems.org/\n  specs:\n    etcdv3 (0.11.6)\n      grpc (~> "
      "1.17)\n\n"
      "PLATFORMS\n  ruby\n\nDEPENDENCIES\n  sinatra\n";
  EXPECT_EQ(Client(ManifestKind::kGemfileLock, lock), "-")
      << "pulled in by another gem, not asked for";
  EXPECT_EQ(
      Client(ManifestKind::kGemfileLock, lock + "  etcdv3 (~> 0.11)\n\nBUNDLED WITH\n   2.5.3\n"),
      "etcdv3");
  EXPECT_EQ(Client(ManifestKind::kGemfileLock, "DEPENDENCIES\r\n  etcdv3!\r\n"), "etcdv3");
}

TEST(DotnetManifestsTest, PackageReferenceIncludeOnly) {
  const auto csproj = [](std::string_view text) {
    return Client(ManifestKind::kMsbuildProject, text);
  };
  EXPECT_EQ(
      csproj(
          "\xEF\xBB\xBF<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>\n"
          "<PackageReference Include=\"Dotnet-Etcd\" Version=\"7.2.0\" />\n</ItemGroup></Project>"),
      "dotnet-etcd");
  EXPECT_EQ(
      csproj("<Project><ItemGroup><PackageReference Include='a; dotnet-etcd'><Version>7</Version>"
             "</PackageReference></ItemGroup></Project>"),
      "dotnet-etcd");
  EXPECT_EQ(csproj("<Project><ItemGroup><PackageReference Update=\"dotnet-etcd\" Version=\"7\"/>"
                   "<!-- <PackageReference Include=\"dotnet-etcd\"/> --><PackageReference "
                   "Include=\"dotnet-etcd-fake\"/>"
                   "</ItemGroup><PropertyGroup><Description>dotnet-etcd</Description></"
                   "PropertyGroup></Project>"),
            "-");
  EXPECT_EQ(csproj("<Project><ItemGroup><PackageReference Include=\"dotnet-etcd\"/></ItemGroup>"),
            "-")
      << "unclosed";
}

TEST(RustManifestsTest, CargoDependencyTablesAndRenames) {
  const auto cargo = [](std::string_view text) { return Client(ManifestKind::kCargoToml, text); };
  EXPECT_EQ(cargo("[package]\nname = 'a'\n[dependencies]\netcd-client = '0.14'\n"), "etcd-client");
  EXPECT_EQ(cargo("[dependencies.etcd-client]\nversion = '0.14'\nfeatures = ['tls']\n"),
            "etcd-client");
  EXPECT_EQ(cargo("[dev-dependencies]\netcd = { package = 'etcd-client', version = '0.14' }\n"),
            "etcd-client");
  EXPECT_EQ(cargo("[target.'cfg(unix)'.dependencies]\netcd-client = '0.14'\n"), "etcd-client");
  EXPECT_EQ(cargo("[workspace.dependencies]\netcd-client = '0.14'\n"), "etcd-client");
}

TEST(RustManifestsTest, CargoNearMisses) {
  const auto cargo = [](std::string_view text) { return Client(ManifestKind::kCargoToml, text); };
  EXPECT_EQ(cargo("[package]\nname = 'etcd-client'\ndescription = 'etcd-client'\nkeywords = "
                  "['etcd-client']\n"),
            "-");
  EXPECT_EQ(cargo("[dependencies]\netcd-client = { package = 'etcd-rs' }\netcd-rs = '1'\n# "
                  "etcd-client = '1'\n"),
            "-");
  EXPECT_EQ(cargo("[dependencies]\netcd-client = '0.14'\n[dependencies]\n"), "-")
      << "a duplicate table is malformed";
}

TEST(ManifestKindTest, FileNames) {
  EXPECT_EQ(ManifestKindOf("requirements-dev.txt"), ManifestKind::kRequirementsTxt);
  EXPECT_EQ(ManifestKindOf("requirements.txt"), ManifestKind::kRequirementsTxt);
  EXPECT_EQ(ManifestKindOf("build.gradle.kts"), ManifestKind::kGradleBuild);
  EXPECT_EQ(ManifestKindOf("Api.csproj"), ManifestKind::kMsbuildProject);
  EXPECT_EQ(ManifestKindOf("App.fsproj"), ManifestKind::kMsbuildProject);
  EXPECT_EQ(ManifestKindOf("Gemfile.lock"), ManifestKind::kGemfileLock);
  for (const char* other : {"requirements.in", "setup.py", "package-lock.json", "go.sum", ".csproj",
                            "gemfile", "README.md"}) {
    EXPECT_EQ(ManifestKindOf(other), std::nullopt) << other;
  }
}

TEST(ByteOrderMarkTest, AManifestSavedWithAByteOrderMarkIsReadFromItsFirstLine) {
  const std::string bom = "\xEF\xBB\xBF";
  const std::pair<ManifestKind, std::string> cases[] = {
      {ManifestKind::kRequirementsTxt, "etcd3==0.12.0\n"},
      {ManifestKind::kPyprojectToml, "[project]\ndependencies = [\"etcd3>=0.12\"]\n"},
      {ManifestKind::kPipfile, "[packages]\netcd3 = \"*\"\n"},
      {ManifestKind::kSetupCfg, "[options]\ninstall_requires =\n    etcd3\n"},
      {ManifestKind::kGradleCatalog,
       "[libraries]\njetcd = { module = \"io.etcd:jetcd-core\", version = \"0.8.3\" }\n"},
      {ManifestKind::kCargoToml, "[dependencies]\netcd-client = \"0.14\"\n"},
      {ManifestKind::kPackageJson, "{\"dependencies\":{\"etcd3\":\"1\"}}"},
      {ManifestKind::kGoMod, "module app\nrequire go.etcd.io/etcd/client/v3 v3.5.9\n"},
  };
  for (const auto& [kind, text] : cases) {
    const std::string plain = Client(kind, text);
    EXPECT_NE(plain, "-") << text;
    EXPECT_EQ(Client(kind, bom + text), plain) << text;
  }
  EXPECT_EQ(Client(ManifestKind::kRequirementsTxt, bom), "-");
  EXPECT_EQ(Client(ManifestKind::kRequirementsTxt, "x\n" + bom + "etcd3\n"), "-")
      << "a mark inside the text is no mark";
}

}  // namespace
}  // namespace bp
