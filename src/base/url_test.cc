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

TEST(UrlTest, RejectsWhatIsNotWellFormed) {
  for (const char* bad : {"https://u:p/S3CRET@10.0.0.1:2379", "https://a@b@h", "http://h:99999",
                          "http://h:0x1", "http://h:", "http://bad host:1", "h:1\n--debug",
                          "http://[::g]:1", "1http://h", "http://h_ost!:1", "http://[::1]x"}) {
    EXPECT_FALSE(ParseUrl(bad).has_value()) << bad;
  }
}

TEST(UrlTest, PortsAreNumbers) {
  EXPECT_EQ(ParseUrl("127.0.0.1:02379")->port, "2379");
  EXPECT_EQ(ParseUrl("http://[fe80::1%eth0]:0")->port, "0");
  EXPECT_EQ(ParseUrl("h:65535")->port, "65535");
}

TEST(UrlTest, RedactsUserinfoQueryAndFragment) {
  EXPECT_EQ(RedactUrl("https://user:pass@host:1/p?q=x"), "https://***@host:1/p?***");
  EXPECT_EQ(RedactUrl("https://s3.example/b/etcd.tgz?X-Amz-Signature=abc#f"),
            "https://s3.example/b/etcd.tgz?***");
  EXPECT_EQ(RedactUrl("https://host/path#token=abc"), "https://host/path");
  EXPECT_EQ(RedactUrl("https://host/path"), "https://host/path");
  EXPECT_EQ(RedactUrl("host:2379"), "host:2379");
  EXPECT_EQ(RedactUrl("alice:s3cr3t@10.0.0.1:2379"), "***@10.0.0.1:2379");
  EXPECT_EQ(RedactUrl("http://token@h"), "http://***@h");
  EXPECT_EQ(RedactUrl("3.6.*"), "3.6.*");
}

TEST(UrlTest, RedactsWholeValuesThatHideCredentials) {
  for (const char* bad :
       {"https://user:p/S3CRET@10.0.0.1:2379", "https://u:1234/S3CRET@h", "https://u:p?S3CRET@h",
        "https://u:p#S3CRET@h", "https://u:S3@CRET@h", "u:S3 CRET@h:1", "/a/b@c",
        "https://u:1234?S3CRET@h", "https://h/p?q=@"}) {
    EXPECT_EQ(RedactUrl(bad), kRedactedValue) << bad;
  }
}

TEST(UrlTest, RedactionEscapesControlCharacters) {
  EXPECT_EQ(RedactUrl("h:1\n--debug"), "h:1\\x0a--debug");
}

TEST(UrlTest, FileUrlPath) {
  EXPECT_EQ(FileUrlPath("file:///srv/x.tgz"), "/srv/x.tgz");
  EXPECT_EQ(FileUrlPath("file://localhost/srv/x.tgz"), "/srv/x.tgz");
  EXPECT_EQ(FileUrlPath("file://relative"), std::nullopt);
  EXPECT_EQ(FileUrlPath("https://x/y"), std::nullopt);
}

}  // namespace
}  // namespace bp
