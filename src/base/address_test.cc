#include "base/address.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ParseEndpointTest, AcceptsTheFormsEtcdTakes) {
  EXPECT_EQ(ParseEndpoint("10.0.0.1:2379").value().ToString(), "10.0.0.1:2379");
  EXPECT_EQ(ParseEndpoint(" https://etcd.example:2379/ ").value().ToString(),
            "https://etcd.example:2379");
  EXPECT_EQ(ParseEndpoint("http://[::1]:02379").value().ToString(), "http://[::1]:2379");
  EXPECT_EQ(ParseEndpoint("https://etcd.example").value().port, 443);
  const Address credentialed = ParseEndpoint("u:p@10.0.0.1:2379").value();
  EXPECT_TRUE(credentialed.had_userinfo);
  EXPECT_EQ(credentialed.ToString(), "10.0.0.1:2379");
}

TEST(ParseEndpointTest, RefusesWithTheProblemNotTheValue) {
  const struct {
    const char* text;
    const char* problem;
  } cases[] = {
      {"10.0.0.1:0", "has a port outside 1-65535"},
      {"10.0.0.1:99999", "has a port outside 1-65535"},
      {"10.0.0.1:23x9", "has a port that is not a number from 1 to 65535"},
      {"10.0.0.1:2379\n--debug", "contains a space or a control character"},
      {"10.0.0.1 :2379", "contains a space or a control character"},
      {"etcd.example", "has no port"},
      {"unix:///tmp/etcd.sock", "is not a well-formed host:port"},
      {"ftp://etcd.example:21", "is not host:port"},
      {"http://h:1/v3", "has a path"},
      {"https://u:p/S3CRET@10.0.0.1:2379", "has credentials holding '/'"},
      {"[::g]:2379", "is not a well-formed host:port"},
      {"h!:2379", "is not a well-formed host:port"},
  };
  for (const auto& c : cases) {
    Result<Address> r = ParseEndpoint(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().message.find(c.problem), 0u) << c.text << " -> " << r.error().message;
    EXPECT_THAT(r.error().message, Not(HasSubstr("S3CRET")));
  }
}

TEST(ParseListenAddressTest, HostPortOrEveryInterface) {
  EXPECT_EQ(ParseListenAddress("127.0.0.1:02379").value().HostPort(), "127.0.0.1:2379");
  const Address every = ParseListenAddress(":2379").value();
  EXPECT_EQ(every.host, "");
  EXPECT_EQ(ParseListenAddress("[::]:2379").value().host, "::");
  for (const char* bad : {"127.0.0.1", "http://127.0.0.1:2379", "u@127.0.0.1:1", "127.0.0.1:2379/x",
                          ":0", ":65536", "127.0.0.1:2379 x"}) {
    EXPECT_FALSE(ParseListenAddress(bad).ok()) << bad;
  }
}

TEST(ParseAdvertiseAddressTest, AnEndpointWithItsPortOrEveryInterface) {
  EXPECT_EQ(ParseAdvertiseAddress("proxy.svc:2379").value().ToString(), "proxy.svc:2379");
  EXPECT_EQ(ParseAdvertiseAddress(" https://proxy.svc:02379/ ").value().ToString(),
            "https://proxy.svc:2379");
  EXPECT_EQ(ParseAdvertiseAddress(":2379").value().host, "");
  EXPECT_EQ(ParseAdvertiseAddress("[::]:2379").value().host, "::");
  for (const char* bad : {"proxy.svc", "https://proxy.svc", "u:p@proxy.svc:2379", "ftp://x:1",
                          "http://x:1/v3", "x:0", ":0", "x:1 y"}) {
    EXPECT_FALSE(ParseAdvertiseAddress(bad).ok()) << bad;
  }
}

TEST(HostKindTest, WildcardsAndLoopbacks) {
  for (const char* wildcard : {"", "0.0.0.0", "::"}) EXPECT_TRUE(IsWildcardHost(wildcard));
  for (const char* other : {"127.0.0.1", "::1", "10.0.0.1", "localhost"})
    EXPECT_FALSE(IsWildcardHost(other)) << other;
  for (const char* loopback : {"localhost", "LocalHost", "127.0.0.1", "127.1.2.3", "::1"})
    EXPECT_TRUE(IsLoopbackHost(loopback)) << loopback;
  for (const char* other : {"", "0.0.0.0", "::", "10.0.0.1", "localhost.example", "[::1]"})
    EXPECT_FALSE(IsLoopbackHost(other)) << other;
}

TEST(LocalHostPortTest, WildcardsBecomeTheLoopbackOfTheirFamily) {
  const auto local = [](const char* listen) {
    return LocalHostPort(ParseListenAddress(listen).value());
  };
  EXPECT_EQ(local("127.0.0.1:2379"), "127.0.0.1:2379");
  EXPECT_EQ(local("0.0.0.0:2379"), "127.0.0.1:2379");
  EXPECT_EQ(local(":02379"), "127.0.0.1:2379");
  EXPECT_EQ(local("[::]:2379"), "[::1]:2379");
  EXPECT_EQ(local("proxy.svc:2379"), "proxy.svc:2379");
}

}  // namespace
}  // namespace bp
