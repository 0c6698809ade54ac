#include "launch/supervisor.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "launch/child_process.h"
#include "testing/process_util.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The supervisor runs in a forked process of its own, as under exec.d; the "app" is a sleeping
// child of the test and the "proxy" a shell that records each start in a file.
class SupervisorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<pid_t> app = StartChild({"/bin/sleep", "60"}, env_);
    ASSERT_TRUE(app.ok());
    app_ = app.value();
    const std::string starts = (tmp_.path() / "starts").string();
    supervisor_ = ::fork();
    ASSERT_GE(supervisor_, 0);
    if (supervisor_ == 0) {
      const AppWatch watch = AppWatch::Open(app_);
      ::_exit(RunSupervisor({"/bin/sh", "-c", "echo $$ >> " + starts + "; exec sleep 60"}, env_,
                            watch));
    }
  }
  void TearDown() override {
    ::kill(app_, SIGKILL);
    ::waitpid(app_, nullptr, 0);
    if (supervisor_ > 0 && ::kill(supervisor_, SIGKILL) == 0) ::waitpid(supervisor_, nullptr, 0);
    // A proxy orphaned by the SIGKILL would hold ctest's output pipe open until its sleep ends.
    for (const pid_t proxy : testing::WaitForPids(tmp_.path() / "starts", 0, milliseconds(0)))
      ::kill(proxy, SIGKILL);
  }

  std::vector<pid_t> WaitForStarts(size_t count) {
    return testing::WaitForPids(tmp_.path() / "starts", count, std::chrono::seconds(5));
  }

  int WaitForSupervisor(milliseconds limit) {
    const int status = testing::WaitForExit(supervisor_, limit);
    if (status != -1) supervisor_ = -1;
    return status;
  }

  Env env_{{{"PATH", "/usr/bin:/bin"}}};
  ScopedTempDir tmp_ = testing::MakeTempDir();
  pid_t app_ = -1;
  pid_t supervisor_ = -1;
};

TEST_F(SupervisorTest, StopsTheProxyAndExitsZeroWhenTheAppEnds) {
  const std::vector<pid_t> proxies = WaitForStarts(1);
  ASSERT_EQ(proxies.size(), 1u);
  ::kill(app_, SIGKILL);
  ::waitpid(app_, nullptr, 0);
  const int status = WaitForSupervisor(std::chrono::seconds(5));
  ASSERT_NE(status, -1) << "the supervisor outlived the app";
  EXPECT_EQ(ExitCodeOf(status), 0);
  EXPECT_EQ(::kill(proxies[0], 0), -1) << "the proxy outlived the supervisor";
  EXPECT_EQ(errno, ESRCH);
}

TEST_F(SupervisorTest, RestartsAKilledProxyAfterHalfASecond) {
  const std::vector<pid_t> first = WaitForStarts(1);
  ASSERT_EQ(first.size(), 1u);
  const auto killed = Clock::now();
  ::kill(first[0], SIGKILL);
  const std::vector<pid_t> both = WaitForStarts(2);
  ASSERT_EQ(both.size(), 2u) << "no restart";
  const auto after = Clock::now() - killed;
  EXPECT_GE(after, milliseconds(450));
  EXPECT_LT(after, std::chrono::seconds(4));
  EXPECT_NE(both[1], first[0]);
}

TEST_F(SupervisorTest, SigtermStopsSupervisorAndProxy) {
  const std::vector<pid_t> proxies = WaitForStarts(1);
  ASSERT_EQ(proxies.size(), 1u);
  ::kill(supervisor_, SIGTERM);
  const int status = WaitForSupervisor(std::chrono::seconds(5));
  ASSERT_NE(status, -1);
  EXPECT_EQ(ExitCodeOf(status), 0);
  EXPECT_EQ(::kill(proxies[0], 0), -1);
}

TEST_F(SupervisorTest, SighupSigusr1AndSigpipeNeitherStopItNorItsProxy) {
  const std::vector<pid_t> proxies = WaitForStarts(1);
  ASSERT_EQ(proxies.size(), 1u);
  for (int sig : {SIGHUP, SIGUSR1, SIGUSR2, SIGPIPE}) ::kill(supervisor_, sig);
  EXPECT_EQ(WaitForSupervisor(milliseconds(300)), -1) << "a signal ended the supervisor";
  EXPECT_EQ(::kill(proxies[0], 0), 0) << "a signal ended the proxy";
  EXPECT_EQ(WaitForStarts(1).size(), 1u) << "the proxy was restarted";
}

// The app reaps the supervisor when the app is PID 1 of its container: here the test process is
// both the app and the supervisor's parent.
TEST(SupervisorUnderItsAppTest, StoppedItEndsTheProxyButStaysUntilTheAppEndsNeverAZombie) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const std::string starts = (tmp.path() / "starts").string();
  const Env env{{{"PATH", "/usr/bin:/bin"}}};
  const pid_t app = ::getpid();
  const pid_t supervisor = ::fork();
  ASSERT_GE(supervisor, 0);
  if (supervisor == 0) {
    const AppWatch watch = AppWatch::Open(app);
    ::_exit(
        RunSupervisor({"/bin/sh", "-c", "echo $$ >> " + starts + "; exec sleep 60"}, env, watch));
  }
  const std::vector<pid_t> proxies =
      testing::WaitForPids(tmp.path() / "starts", 1, std::chrono::seconds(5));
  ASSERT_EQ(proxies.size(), 1u);
  ::kill(supervisor, SIGTERM);
  bool proxy_gone = false;
  for (int i = 0; i < 300 && !proxy_gone; ++i) {
    proxy_gone = ::kill(proxies[0], 0) != 0;
    if (!proxy_gone) std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_TRUE(proxy_gone) << "SIGTERM did not stop the proxy";
  EXPECT_EQ(testing::WaitForExit(supervisor, milliseconds(300)), -1)
      << "it exited while its reaper (the app) runs, which leaves a zombie";
  ::kill(supervisor, SIGKILL);
  ::waitpid(supervisor, nullptr, 0);
}

}  // namespace
}  // namespace bp
