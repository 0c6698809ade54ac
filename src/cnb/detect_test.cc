#include "cnb/detect.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;

class DetectTest : public ::testing::Test {
 protected:
  DetectTest() {
    testing::WriteFile(tmp_.path() / "bp/buildpack.toml",
                       std::string("[buildpack]\nid='x'\nversion='1.0.0'\n") +
                           "[metadata.default-versions]\netcd = '3.6.*'\n");
    testing::WriteFile(tmp_.path() / "plan.toml", "");
    testing::WriteFile(tmp_.path() / "app/requirements.txt", "etcd3==0.12.0\n");
    env_.Set("CNB_PLATFORM_DIR", (tmp_.path() / "platform").string());
    env_.Set("CNB_BUILD_PLAN_PATH", (tmp_.path() / "plan.toml").string());
    env_.Set("CNB_BUILDPACK_DIR", (tmp_.path() / "bp").string());
  }
  Result<DetectOutcome> Run() {
    Result<DetectContext> context =
        DetectContextFrom(env_, {"ignored", "args"}, "/nowhere/bin", App());
    if (!context.ok()) return context.error();
    return Detect(context.value());
  }
  fs::path App() { return tmp_.path() / "app"; }
  void RemoveEvidence() { fs::remove(App() / "requirements.txt"); }
  std::string Plan() { return testing::ReadFile(tmp_.path() / "plan.toml"); }

  ScopedTempDir tmp_ = testing::MakeTempDir();
  Env env_;
};

TEST_F(DetectTest, PassesOnAClientWithTheDefaultConstraintAndSaysWhy) {
  Result<DetectOutcome> outcome = Run();
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_TRUE(outcome.value().pass);
  EXPECT_EQ(outcome.value().reason, "etcd client etcd3 in requirements.txt");
  EXPECT_THAT(Plan(), HasSubstr("version = \"3.6.*\"")) << Plan();
  EXPECT_THAT(Plan(), HasSubstr("version-source = \"default-versions\""));
}

TEST_F(DetectTest, FailsWithoutEvidenceSayingHowToForceIt) {
  RemoveEvidence();
  Result<DetectOutcome> outcome = Run();
  ASSERT_TRUE(outcome.ok());
  EXPECT_FALSE(outcome.value().pass);
  EXPECT_THAT(outcome.value().reason, HasSubstr("nothing in the app asks for etcd"));
  EXPECT_THAT(outcome.value().reason, HasSubstr("BP_ETCD_PROXY_ENABLED=true"));
  EXPECT_EQ(outcome.value().reason.find('\n'), std::string::npos);
  EXPECT_EQ(Plan(), "");
}

TEST_F(DetectTest, EachSettingIsEvidence) {
  RemoveEvidence();
  env_.Set("BP_ETCD_PROXY_ENABLED", "TRUE");
  EXPECT_EQ(Run().value().reason, "BP_ETCD_PROXY_ENABLED=true");
  env_.Unset("BP_ETCD_PROXY_ENABLED");
  testing::WriteFile(tmp_.path() / "platform/env/BP_ETCD_VERSION", "3.5.*");
  EXPECT_EQ(Run().value().reason, "BP_ETCD_VERSION is set");
  EXPECT_THAT(Plan(), HasSubstr("version = \"3.5.*\"")) << Plan();
}

TEST_F(DetectTest, AnEtcdBindingOfEitherKindIsEvidence) {
  RemoveEvidence();
  testing::WriteFile(tmp_.path() / "platform/bindings/db/type", "postgresql");
  EXPECT_FALSE(Run().value().pass);
  testing::WriteFile(tmp_.path() / "platform/bindings/my-etcd/type", "etcd");
  EXPECT_EQ(Run().value().reason, "etcd service binding 'my-etcd'");
  fs::remove_all(tmp_.path() / "platform/bindings/my-etcd");
  testing::WriteFile(tmp_.path() / "sbr/cf-etcd/type", "user-provided");
  testing::WriteFile(tmp_.path() / "sbr/cf-etcd/tags", "[\"kv\",\"etcd\"]");
  env_.Set("SERVICE_BINDING_ROOT", (tmp_.path() / "sbr").string());
  EXPECT_EQ(Run().value().reason, "etcd service binding 'cf-etcd'");
}

TEST_F(DetectTest, AnUnreadableBindingIsNoEvidenceAndNoError) {
  RemoveEvidence();
  testing::WriteFile(tmp_.path() / "platform/bindings/my-etcd/type", "etcd");
  testing::WriteFile(tmp_.path() / "platform/bindings/my-etcd/endpoints",
                     std::string(kMaxSettingBytes + 1, 'x'));
  Result<DetectOutcome> outcome = Run();
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_FALSE(outcome.value().pass);
}

TEST_F(DetectTest, DisabledWinsOverEveryEvidenceWithoutWritingAPlan) {
  testing::WriteFile(tmp_.path() / "platform/bindings/my-etcd/type", "etcd");
  env_.Set("BP_ETCD_VERSION", "3.5.*");
  testing::WriteFile(tmp_.path() / "platform/env/BP_ETCD_PROXY_ENABLED", "FALSE");
  Result<DetectOutcome> outcome = Run();
  ASSERT_TRUE(outcome.ok());
  EXPECT_FALSE(outcome.value().pass);
  EXPECT_EQ(outcome.value().reason, "BP_ETCD_PROXY_ENABLED is false");
  EXPECT_EQ(Plan(), "");
}

TEST_F(DetectTest, PlatformEnvFileOverridesTheEnvironment) {
  env_.Set("BP_ETCD_VERSION", "3.4.*");
  testing::WriteFile(tmp_.path() / "platform/env/BP_ETCD_VERSION", "~3.5\n");
  ASSERT_TRUE(Run().value().pass);
  EXPECT_THAT(Plan(), HasSubstr("version = \"~3.5\""));
  EXPECT_THAT(Plan(), HasSubstr("version-source = \"BP_ETCD_VERSION\""));
}

TEST_F(DetectTest, BadSettingsAndDescriptorsAreErrorsWhateverTheApp) {
  RemoveEvidence();
  env_.Set("BP_ETCD_PROXY_ENABLED", "yes");
  EXPECT_THAT(Run().error().message,
              HasSubstr("BP_ETCD_PROXY_ENABLED=\"yes\" is not true or false"));
  env_.Set("BP_ETCD_PROXY_ENABLED", "true");
  env_.Set("BP_ETCD_VERSION", "3.x.y");
  EXPECT_THAT(Run().error().message, HasSubstr("BP_ETCD_VERSION: invalid version constraint"));
  env_.Unset("BP_ETCD_VERSION");
  env_.Unset("BP_ETCD_PROXY_ENABLED");
  testing::WriteFile(tmp_.path() / "bp/buildpack.toml", "[buildpack\n");
  EXPECT_FALSE(Run().ok());
  fs::remove(tmp_.path() / "bp/buildpack.toml");
  EXPECT_EQ(Run().error().kind, ErrorKind::kIo);
}

TEST_F(DetectTest, CloudFoundryStyleCallIsRecognised) {
  EXPECT_FALSE(
      IsCloudFoundryDetect(env_, {"/tmp/app"}));  // CNB_BUILD_PLAN_PATH set: a CNB lifecycle
  env_.Unset("CNB_BUILD_PLAN_PATH");
  EXPECT_TRUE(IsCloudFoundryDetect(env_, {"/tmp/app"}));
  EXPECT_FALSE(IsCloudFoundryDetect(env_, {"/platform", "/plan.toml"}));  // the positional CNB call
  EXPECT_FALSE(IsCloudFoundryDetect(env_, {}));
}

TEST_F(DetectTest, IsDeterministic) {
  ASSERT_TRUE(Run().ok());
  const std::string first = Plan();
  ASSERT_TRUE(Run().ok());
  EXPECT_EQ(Plan(), first);
}

}  // namespace
}  // namespace bp
