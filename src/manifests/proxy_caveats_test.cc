#include "manifests/proxy_caveats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;

TEST(ProxyCaveatsTest, PythonEtcd3IsNamedWithTheCallsAndTheReadmeSection) {
  for (ManifestKind kind : {ManifestKind::kRequirementsTxt, ManifestKind::kPyprojectToml,
                            ManifestKind::kPipfile, ManifestKind::kSetupCfg}) {
    const std::optional<std::string> caveat = ProxyCaveatFor(kind, "etcd3");
    ASSERT_TRUE(caveat.has_value());
    EXPECT_THAT(*caveat,
                HasSubstr("python-etcd3: Lease.refresh and Lock.refresh fail through grpc-proxy"));
    EXPECT_THAT(*caveat, HasSubstr("\"What grpc-proxy can and cannot do\""));
    EXPECT_EQ(caveat->find('\n'), std::string::npos) << "one line";
  }
}

TEST(ProxyCaveatsTest, ClientsWithoutAKnownDifferenceGetNoLine) {
  EXPECT_FALSE(ProxyCaveatFor(ManifestKind::kPackageJson, "etcd3"))
      << "Node etcd3 waits for the keep-alive answer";
  EXPECT_FALSE(ProxyCaveatFor(ManifestKind::kGoMod, "go.etcd.io/etcd/client/v3"));
  EXPECT_FALSE(ProxyCaveatFor(ManifestKind::kRequirementsTxt, "etcd3gw"));
  EXPECT_FALSE(ProxyCaveatFor(ManifestKind::kPomXml, "io.etcd:jetcd-core"));
}

}  // namespace
}  // namespace bp
