#include "base/url.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

TEST(UrlTest, SplitsTheParts) {
  const Url u = *ParseUrl("HTTPS://user:pw@Host.example:2379/a/b?c#d");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.userinfo, "user:pw");
  EXPECT_EQ(u.host, "Host.example");
  EXPECT_EQ(u.port, "2379");
  EXPECT_EQ(u.path, "/a/b?c#d");
  EXPECT_EQ(u.ToString(), "https://user:pw@Host.example:2379/a/b?c#d");
  EXPECT_EQ(u.HostPort(), "Host.example:2379");
}

TEST(UrlTest, HostPortWithoutSchemeAndIpv6) {
  EXPECT_EQ(ParseUrl("10.0.0.1:2379")->HostPort(), "10.0.0.1:2379");
  EXPECT_EQ(ParseUrl("10.0.0.1:2379")->scheme, "");
  const Url v6 = *ParseUrl("http://[::1]:2379");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.HostPort(), "[::1]:2379");
}

TEST(UrlTest, RejectsMalformed) {
  for (const char* bad : {"http://host:port", "http://:2379", "http://[::1", "host:123456", ""}) {
    EXPECT_FALSE(ParseUrl(bad).has_value()) << bad;
  }
}

TEST(UrlTest, FileUrlPath) {
  EXPECT_EQ(FileUrlPath("file:///srv/x.tgz"), "/srv/x.tgz");
  EXPECT_EQ(FileUrlPath("file://localhost/srv/x.tgz"), "/srv/x.tgz");
  EXPECT_EQ(FileUrlPath("file://relative"), std::nullopt);
  EXPECT_EQ(FileUrlPath("https://x/y"), std::nullopt);
}

}  // namespace
}  // namespace bp
