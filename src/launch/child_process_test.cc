#include "launch/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "launch/app_watch.h"
#include "testing/process_util.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using std::chrono::milliseconds;

Env PathOnly() { return Env({{"PATH", "/usr/bin:/bin"}}); }

TEST(ChildProcessTest, StartChildRunsArgvWithTheGivenEnvironmentAndDefaultSignalMask) {
  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);
  sigset_t before;
  ASSERT_EQ(sigprocmask(SIG_BLOCK, &blocked, &before), 0);
  // The child must see SIGTERM unblocked (its mask line shows 0) and only the given variables.
  Result<pid_t> child = StartChild({"/bin/sh", "-c",
                                    "grep -q '^SigBlk:[[:space:]]*0*$' /proc/self/status && [ "
                                    "\"$ONLY\" = yes ] && [ -z \"${HOME:-}\" ]"},
                                   Env({{"ONLY", "yes"}}));
  sigprocmask(SIG_SETMASK, &before, nullptr);
  ASSERT_TRUE(child.ok()) << child.error().message;
  int status = 0;
  ASSERT_EQ(waitpid(child.value(), &status, 0), child.value());
  EXPECT_EQ(ExitCodeOf(status), 0) << DescribeWaitStatus(status);
}

TEST(ChildProcessTest, StopChildEndsAChildThatIgnoresSigterm) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const fs::path ready = tmp.path() / "ready";
  // The shell names itself only once its trap is in place, so SIGTERM cannot end it early.
  Result<pid_t> child =
      StartChild({"/bin/sh", "-c",
                  "trap '' TERM; echo $$ > '" + ready.string() + "'; while :; do sleep 1; done"},
                 PathOnly());
  ASSERT_TRUE(child.ok());
  ASSERT_EQ(testing::WaitForPids(ready, 1, milliseconds(5000)), std::vector<pid_t>{child.value()});
  const milliseconds grace(200);
  const auto start = std::chrono::steady_clock::now();
  StopChild(child.value(), grace);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, grace) << "the child ignored SIGTERM, so only SIGKILL after the grace can end it";
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_EQ(waitpid(child.value(), nullptr, WNOHANG), -1) << "StopChild reaps the child";
}

TEST(ChildProcessTest, WaitStatusesReadAsExitCodes) {
  Result<pid_t> child = StartChild({"/bin/sh", "-c", "exit 7"}, PathOnly());
  ASSERT_TRUE(child.ok());
  int status = 0;
  waitpid(child.value(), &status, 0);
  EXPECT_EQ(ExitCodeOf(status), 7);
  EXPECT_EQ(DescribeWaitStatus(status), "exit status 7");
  Result<pid_t> killed = StartChild({"/bin/sh", "-c", "kill -9 $$"}, PathOnly());
  ASSERT_TRUE(killed.ok());
  waitpid(killed.value(), &status, 0);
  EXPECT_EQ(ExitCodeOf(status), 137);
  EXPECT_EQ(DescribeWaitStatus(status), "signal 9");
}

TEST(ChildProcessTest, AMissingExecutableExits127) {
  Result<pid_t> child = StartChild({"/nonexistent/etcd", "grpc-proxy"}, PathOnly());
  ASSERT_TRUE(child.ok());
  int status = 0;
  waitpid(child.value(), &status, 0);
  EXPECT_EQ(ExitCodeOf(status), 127);
}

TEST(ChildProcessTest, SignalFdReadsBlockedSignals) {
  Result<int> fd = OpenSignalFd({SIGUSR1});
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  EXPECT_TRUE(ReadSignals(fd.value()).empty());
  kill(getpid(), SIGUSR1);
  EXPECT_EQ(ReadSignals(fd.value()), std::vector<int>{SIGUSR1});
  close(fd.value());
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
}

TEST(AppWatchTest, NoticesTheWatchedProcessEnding) {
  Result<pid_t> app = StartChild({"/bin/sh", "-c", "sleep 30"}, PathOnly());
  ASSERT_TRUE(app.ok());
  const AppWatch watch = AppWatch::Open(app.value());
  EXPECT_EQ(watch.pid(), app.value());
  EXPECT_FALSE(watch.Ended());
  kill(app.value(), SIGKILL);
  // Not yet reaped: an exited process is a zombie until its parent waits, and counts as ended.
  for (int i = 0; i < 200 && !watch.Ended(); ++i) std::this_thread::sleep_for(milliseconds(5));
  EXPECT_TRUE(watch.Ended());
  waitpid(app.value(), nullptr, 0);
  EXPECT_TRUE(watch.Ended());
}

TEST(AppWatchTest, PollingNoticesTheEndWithoutAPidfd) {
  Result<pid_t> app = StartChild({"/bin/sh", "-c", "sleep 30"}, PathOnly());
  ASSERT_TRUE(app.ok());
  const AppWatch watch = AppWatch::OpenPolling(app.value());
  EXPECT_EQ(watch.fd(), -1);
  EXPECT_FALSE(watch.Ended());
  kill(app.value(), SIGKILL);
  for (int i = 0; i < 200 && !watch.Ended(); ++i) std::this_thread::sleep_for(milliseconds(5));
  EXPECT_TRUE(watch.Ended()) << "a zombie counts as ended";
  waitpid(app.value(), nullptr, 0);
  EXPECT_TRUE(watch.Ended()) << "a reaped PID counts as ended";
}

TEST(AppWatchTest, PollingSeesALiveProcessAndAMissingOne) {
  const AppWatch watch = AppWatch::OpenPolling(getpid());
  EXPECT_FALSE(watch.Ended());
  const AppWatch gone = AppWatch::OpenPolling(999999999);
  EXPECT_TRUE(gone.Ended());
}

}  // namespace
}  // namespace bp
