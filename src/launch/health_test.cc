#include "launch/health.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;

TEST(HealthTargetForTest, PlainOrTheListenersTls) {
  const HealthTarget plain =
      HealthTargetFor(Env({{"BPL_ETCD_PROXY_LISTEN_ADDR", "0.0.0.0:3000"}})).value();
  EXPECT_EQ(plain.address, "127.0.0.1:3000");
  EXPECT_FALSE(plain.https);
  EXPECT_EQ(HealthTargetFor(Env()).value().address, "127.0.0.1:2379");
  const HealthTarget tls = HealthTargetFor(Env({{"BPL_ETCD_PROXY_LISTEN_CERT", "/l/cert.pem"},
                                                {"BPL_ETCD_PROXY_LISTEN_KEY", "/l/key.pem"}}))
                               .value();
  EXPECT_TRUE(tls.https);
  EXPECT_EQ(tls.client_cert, "/l/cert.pem");
  EXPECT_EQ(tls.client_key, "/l/key.pem");
}

TEST(HealthTargetForTest, OnlyACheckedListenAddress) {
  Result<HealthTarget> two =
      HealthTargetFor(Env({{"BPL_ETCD_PROXY_LISTEN_ADDR", "127.0.0.1:2379,10.9.9.9:2379"}}));
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(two.error().message.find("BPL_ETCD_PROXY_LISTEN_ADDR"), std::string::npos)
      << two.error().message;
  EXPECT_FALSE(
      HealthTargetFor(Env({{"BPL_ETCD_PROXY_LISTEN_ADDR", "http://u:p@127.0.0.1:2379"}})).ok());
}

TEST(HealthVerdictTest, OnlyHttp200WithHealthTrueIsHealthy) {
  EXPECT_TRUE(HealthVerdict("u", 200, R"({"health":"true"})").ok());
  EXPECT_TRUE(HealthVerdict("u", 200, R"({"health":"true","reason":""})").ok())
      << "etcd 3.5's shape";
  EXPECT_FALSE(HealthVerdict("u", 503, R"({"health":"true"})").ok());
  EXPECT_FALSE(HealthVerdict("u", 200, R"({"health":true})").ok())
      << "a boolean is not etcd's answer";
  EXPECT_FALSE(HealthVerdict("u", 200, "not json").ok());
  const Status down = HealthVerdict(
      "http://a/proxy/health", 503,
      "{\"health\":\"false\",\"reason\":\"GET ERROR:context deadline exceeded\"}\nmore");
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().message,
            "http://a/proxy/health answered HTTP 503 {\"health\":\"false\",\"reason\":\"GET "
            "ERROR:context deadline exceeded\"}");
}

// A port that is bound but never accepts: what a probe sees before the proxy is up.
TEST(WaitUntilHealthyTest, GivesUpAtTheDeadlineWithTheReason) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t length = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  const std::string address = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  ::close(fd);  // nothing listens there now
  int sleeps = 0;
  const auto start = std::chrono::steady_clock::now();
  HealthTarget target;
  target.address = address;
  Result<std::string> status =
      WaitUntilHealthy(target, std::chrono::milliseconds(600), [&](std::chrono::milliseconds d) {
        ++sleeps;
        std::this_thread::sleep_for(d);
        return Ok();
      });
  ASSERT_FALSE(status.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(550));
  EXPECT_GE(sleeps, 1);
  EXPECT_EQ(status.error().kind, ErrorKind::kUnavailable);
  EXPECT_THAT(status.error().message, HasSubstr(address + " is not healthy after 600 ms: "));

  int pauses = 0;
  Result<std::string> stopped =
      WaitUntilHealthy(target, std::chrono::seconds(10), [&](std::chrono::milliseconds) {
        ++pauses;
        return Status(MakeError(ErrorKind::kIo, "cannot start the supervisor"));
      });
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(pauses, 1);
  EXPECT_EQ(stopped.error().kind, ErrorKind::kIo);
  EXPECT_EQ(stopped.error().message, "cannot start the supervisor")
      << "an error from the pause ends the wait as it is";
}

TEST(HealthProbePauseTest, OftenWhileTheProxyIsStartingThenCalmer) {
  EXPECT_EQ(HealthProbePause(std::chrono::milliseconds(0)).count(), 5);
  EXPECT_EQ(HealthProbePause(std::chrono::milliseconds(499)).count(), 5);
  EXPECT_EQ(HealthProbePause(std::chrono::milliseconds(500)).count(), 50);
  EXPECT_EQ(HealthProbePause(std::chrono::seconds(20)).count(), 50);
}

TEST(CheckProbeKeyTest, AnEncryptedOrEmptyKeyEndsTheProbeAtOnceNamingTheSetting) {
  ScopedTempDir tmp = testing::MakeTempDir();
  HealthTarget target;
  target.https = true;
  target.client_key = (tmp.path() / "listener.key").string();
  testing::WriteFile(target.client_key, testing::MakeTestCert("").key_pem);
  EXPECT_TRUE(CheckProbeKey(target).ok());
  testing::WriteFile(
      target.client_key,
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nc2VjcmV0\n-----END ENCRYPTED PRIVATE KEY-----\n");
  Result<std::string> waited =
      WaitUntilHealthy(target, std::chrono::seconds(60), [](std::chrono::milliseconds) -> Status {
        ADD_FAILURE() << "no probe may run with a key the probe cannot use";
        return Ok();
      });
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.error().message.rfind("BPL_ETCD_PROXY_LISTEN_KEY (" + target.client_key +
                                             ") holds an encrypted private key",
                                         0),
            0u)
      << waited.error().message;
  testing::WriteFile(target.client_key, "");
  EXPECT_THAT(CheckProbeKey(target).error().message, HasSubstr("is empty"));
  target.https = false;
  EXPECT_TRUE(CheckProbeKey(target).ok());
}

}  // namespace
}  // namespace bp
