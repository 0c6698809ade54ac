#include "dependency/mirror.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::Not;

using ::testing::HasSubstr;

constexpr char kUri[] = "https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd.tar.gz";

std::optional<MirroredUri> Apply(const Env& env, const std::string& uri = kUri,
                                 const std::vector<Binding>& bindings = {}) {
  Result<MirrorSettings> settings = ReadMirrorSettings(env, bindings);
  EXPECT_TRUE(settings.ok());
  Result<std::optional<MirroredUri>> mirrored = ApplyMirror(settings.value(), uri);
  EXPECT_TRUE(mirrored.ok()) << mirrored.error().message;
  return mirrored.ok() ? mirrored.value() : std::nullopt;
}

Env EnvWith(std::initializer_list<std::pair<const char*, const char*>> vars) {
  Env env;
  for (const auto& [k, v] : vars) env.Set(k, v);
  return env;
}

TEST(MirrorTest, NoSettingsMeansNoMirror) { EXPECT_FALSE(Apply(Env()).has_value()); }

TEST(MirrorTest, DefaultMirrorWithOriginalHostPlaceholder) {
  const auto m =
      Apply(EnvWith({{"BP_DEPENDENCY_MIRROR", "https://mirror.example.org/{originalHost}"}}));
  ASSERT_TRUE(m);
  EXPECT_EQ(
      m->uri,
      "https://mirror.example.org/github.com/etcd-io/etcd/releases/download/v3.6.14/etcd.tar.gz");
  EXPECT_EQ(m->origin, "BP_DEPENDENCY_MIRROR");
}

TEST(MirrorTest, DefaultMirrorWithoutPlaceholderKeepsThePath) {
  const auto m =
      Apply(EnvWith({{"BP_DEPENDENCY_MIRROR", "https://user:pw@mirror.example.org:8443/base/"}}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->uri,
            "https://user:pw@mirror.example.org:8443/base/etcd-io/etcd/releases/download/v3.6.14/"
            "etcd.tar.gz");
}

TEST(MirrorTest, HostSpecificMirrorWinsOverDefault) {
  const Env env = EnvWith({{"BP_DEPENDENCY_MIRROR", "https://default.example/{originalHost}"},
                           {"BP_DEPENDENCY_MIRROR_GITHUB_COM", "https://gh.example/{originalHost}"},
                           {"BP_DEPENDENCY_MIRROR_MY__HOST_ORG", "file:///srv/mirror"}});
  EXPECT_EQ(Apply(env)->uri,
            "https://gh.example/github.com/etcd-io/etcd/releases/download/v3.6.14/etcd.tar.gz");
  EXPECT_EQ(Apply(env)->origin, "BP_DEPENDENCY_MIRROR_GITHUB_COM");
  EXPECT_EQ(Apply(env, "https://my-host.org/a/b.tgz")->uri, "file:///srv/mirror/a/b.tgz");
  EXPECT_EQ(Apply(env, "https://other.org/c.tgz")->uri, "https://default.example/other.org/c.tgz");
}

TEST(MirrorTest, BindingMirrorAppliesWhenTheEnvironmentHasNone) {
  Binding binding;
  binding.name = "mirrors";
  binding.type = "dependency-mirror";
  binding.entries = {{"default", "https://binding.example/{originalHost}"},
                     {"github.com", "https://gh.binding"}};
  EXPECT_EQ(Apply(Env(), kUri, {binding})->uri,
            "https://gh.binding/etcd-io/etcd/releases/download/v3.6.14/etcd.tar.gz");
  EXPECT_EQ(Apply(Env(), "https://x.org/y.tgz", {binding})->uri,
            "https://binding.example/x.org/y.tgz");
  EXPECT_EQ(
      Apply(EnvWith({{"BP_DEPENDENCY_MIRROR_GITHUB_COM", "https://env.example"}}), kUri, {binding})
          ->uri,
      "https://env.example/etcd-io/etcd/releases/download/v3.6.14/etcd.tar.gz");
}

TEST(MirrorTest, TwoMirrorBindingsAreAnError) {
  Binding a;
  a.name = "a";
  a.type = "dependency-mirror";
  Binding b = a;
  b.name = "b";
  EXPECT_FALSE(ReadMirrorSettings(Env(), {a, b}).ok());
}

TEST(MirrorTest, OnlyHttpsAndFileMirrorsAreAccepted) {
  for (const char* mirror : {"http://insecure.example", "ftp://x", "file-ish"}) {
    Result<MirrorSettings> settings =
        ReadMirrorSettings(EnvWith({{"BP_DEPENDENCY_MIRROR", mirror}}), {});
    Result<std::optional<MirroredUri>> applied = ApplyMirror(settings.value(), kUri);
    ASSERT_FALSE(applied.ok()) << mirror;
    EXPECT_THAT(applied.error().message,
                HasSubstr("BP_DEPENDENCY_MIRROR must be an https:// or file:// URL"));
  }
}

TEST(MirrorTest, CredentialsThatNeedEncodingAreNamedNotShown) {
  for (const char* mirror :
       {"https://user:p/S3CRET@mirror.example/{originalHost}", "https://user:p?S3CRET@m.example",
        "https://user:p@S3CRET@m.example"}) {
    Result<MirrorSettings> settings =
        ReadMirrorSettings(EnvWith({{"BP_DEPENDENCY_MIRROR", mirror}}), {});
    Result<std::optional<MirroredUri>> applied = ApplyMirror(settings.value(), kUri);
    ASSERT_FALSE(applied.ok()) << mirror;
    EXPECT_THAT(applied.error().message, HasSubstr("must be percent-encoded"))
        << applied.error().message;
    EXPECT_THAT(applied.error().message, Not(HasSubstr("S3CRET")));
  }
  Result<MirrorSettings> spaced =
      ReadMirrorSettings(EnvWith({{"BP_DEPENDENCY_MIRROR", "https://a b.example"}}), {});
  EXPECT_THAT(ApplyMirror(spaced.value(), kUri).error().message,
              HasSubstr("is not a well-formed URL"));
}

}  // namespace
}  // namespace bp
