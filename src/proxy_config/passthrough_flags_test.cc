#include "proxy_config/passthrough_flags.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

using Args = std::vector<std::string>;

TEST(CheckPassthroughTest, EveryFormPflagReadsNamesTheFlag) {
  for (const char* arg :
       {"--listen-addr=0.0.0.0:2379", "--listen-addr", "-listen-addr=x", "-listen-addr"}) {
    Status status = CheckPassthrough({}, {arg});
    ASSERT_FALSE(status.ok()) << arg;
    EXPECT_NE(status.error().message.find("sets grpc-proxy's --listen-addr,"), std::string::npos)
        << status.error().message;
  }
  EXPECT_TRUE(CheckPassthrough({"--listen-addr=127.0.0.1:2379"}, {"0.0.0.0:2379", "-"}).ok())
      << "values that are no flags pass";
}

TEST(CheckPassthroughTest, FlagsTheHelperChecksAreRefusedNamingTheSetting) {
  const Args helper = {"--endpoints=10.0.0.1:2379", "--listen-addr=127.0.0.1:2379"};
  for (const Args& args :
       {Args{"--listen-addr=0.0.0.0:2379"}, Args{"--listen-addr", "0.0.0.0:2379"},
        Args{"--endpoints=127.0.0.1:2379"}, Args{"--cacert=/ca.pem"},
        Args{"--insecure-skip-tls-verify"}, Args{"--cert-file=/c.pem"}}) {
    Status status = CheckPassthrough(helper, args);
    ASSERT_FALSE(status.ok()) << args[0];
    EXPECT_EQ(status.error().kind, ErrorKind::kInvalidInput);
    EXPECT_NE(status.error().hint.find("BPL_ETCD_PROXY_"), std::string::npos)
        << status.error().hint;
  }
  EXPECT_NE(CheckPassthrough(helper, {"--listen-addr=0.0.0.0:2379"})
                .error()
                .message.find("BPL_ETCD_PROXY_LISTEN_ADDR"),
            std::string::npos);
}

TEST(CheckPassthroughTest, ManagedFlagsTheHelperLeftUnsetPassAndSetOnesAreRefused) {
  EXPECT_TRUE(CheckPassthrough({"--endpoints=a:1"}, {"--max-send-bytes=4194304", "--debug"}).ok());
  EXPECT_FALSE(
      CheckPassthrough({"--endpoints=a:1", "--max-send-bytes=10"}, {"--max-send-bytes=4194304"})
          .ok());
  EXPECT_TRUE(CheckPassthrough({"--endpoints=a:1"}, {"--some-future-flag=1"}).ok());
}

TEST(CheckPassthroughTest, ARefusedClusterFlagNamesItsSetting) {
  EXPECT_EQ(CheckPassthrough({"--max-send-bytes=10"}, {"--max-send-bytes=4194304"}).error().message,
            "the argument --max-send-bytes=4194304 sets grpc-proxy's --max-send-bytes, which the "
            "helper sets and checks from BPL_ETCD_PROXY_MAX_SEND_BYTES");
  // Checked: refused although the helper left it unset.
  EXPECT_EQ(CheckPassthrough({}, {"--insecure-discovery"}).error().hint,
            "remove the argument and set BPL_ETCD_PROXY_INSECURE_DISCOVERY instead");
  EXPECT_TRUE(CheckPassthrough({}, {"--dial-keepalive-time=10s"}).ok());
}

TEST(CheckPassthroughTest, CredentialsInTheArgumentAreNotShown) {
  Status status = CheckPassthrough({}, {"--endpoints=https://user:S3CRET@10.0.0.1:2379"});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message.find("S3CRET"), std::string::npos) << status.error().message;
}

}  // namespace
}  // namespace bp
