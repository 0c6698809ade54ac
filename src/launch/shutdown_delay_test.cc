#include "launch/shutdown_delay.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "launch/child_process.h"
#include "testing/process_util.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The helper under the delay runs in a forked process, as the sidecar container's main process;
// the "proxy" is a shell that records its PID and sleeps.
class ShutdownDelayTest : public ::testing::Test {
 protected:
  void Start(milliseconds delay) {
    const std::string pid_file = (tmp_.path() / "proxy.pid").string();
    helper_ = ::fork();
    ASSERT_GE(helper_, 0);
    if (helper_ == 0) {
      Result<int> code =
          RunWithShutdownDelay({"/bin/sh", "-c", "echo $$ > " + pid_file + "; exec sleep 60"},
                               Env({{"PATH", "/usr/bin:/bin"}}), delay);
      ::_exit(code.ok() ? code.value() : 99);
    }
    const std::vector<pid_t> pids = testing::WaitForPids(pid_file, 1, std::chrono::seconds(5));
    if (!pids.empty()) proxy_ = pids[0];
    ASSERT_GT(proxy_, 0) << "the proxy never started";
  }
  void TearDown() override {
    if (helper_ > 0 && ::kill(helper_, SIGKILL) == 0) ::waitpid(helper_, nullptr, 0);
  }
  int WaitForHelper(milliseconds limit) {
    const int status = testing::WaitForExit(helper_, limit);
    if (status != -1) helper_ = -1;
    return status;
  }

  ScopedTempDir tmp_ = testing::MakeTempDir();
  pid_t helper_ = -1;
  pid_t proxy_ = -1;
};

TEST_F(ShutdownDelayTest, SigtermKeepsTheProxyForTheDelayThenExitsZero) {
  Start(milliseconds(800));
  const auto sent = Clock::now();
  ::kill(helper_, SIGTERM);
  std::this_thread::sleep_for(milliseconds(400));
  EXPECT_EQ(::kill(proxy_, 0), 0) << "the proxy stopped before the delay was over";
  const int status = WaitForHelper(std::chrono::seconds(8));
  ASSERT_NE(status, -1) << "the helper outlived its delay";
  EXPECT_EQ(ExitCodeOf(status), 0);
  EXPECT_GE(Clock::now() - sent, milliseconds(750));
  EXPECT_EQ(::kill(proxy_, 0), -1) << "the proxy outlived the helper";
}

TEST_F(ShutdownDelayTest, OtherSignalsAreForwardedAndTheProxysEndIsTheHelpersExit) {
  Start(milliseconds(30000));
  ::kill(helper_, SIGUSR1);  // sleep dies of it: the helper reports 128 + SIGUSR1
  const int status = WaitForHelper(std::chrono::seconds(5));
  ASSERT_NE(status, -1);
  EXPECT_EQ(ExitCodeOf(status), 128 + SIGUSR1);
}

}  // namespace
}  // namespace bp
