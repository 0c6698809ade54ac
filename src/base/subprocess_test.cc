#include "base/subprocess.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace bp {
namespace {

using Clock = std::chrono::steady_clock;

bool Zombie(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  return line.find(") Z ") != std::string::npos;
}

Env PathOnly() { return Env({{"PATH", "/usr/bin:/bin"}}); }

int OpenDescriptors() {
  int open = 0;
  for (int fd = 0; fd < 1024; ++fd) open += ::fcntl(fd, F_GETFD) != -1 ? 1 : 0;
  return open;
}

TEST(RunCapturedTest, CapturesOutputAndExitCode) {
  Result<CommandOutput> ran = RunCaptured({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"},
                                          PathOnly(), std::chrono::seconds(5));
  ASSERT_TRUE(ran.ok()) << ran.error().message;
  EXPECT_EQ(ran.value().exit_code, 3);
  EXPECT_NE(ran.value().output.find("out\n"), std::string::npos);
  EXPECT_NE(ran.value().output.find("err\n"), std::string::npos);
}

TEST(RunCapturedTest, AChildLeftHoldingTheOutputNeitherDelaysNorOutlivesIt) {
  const auto started = Clock::now();
  Result<CommandOutput> ran =
      RunCaptured({"/bin/sh", "-c", "sleep 30 & echo $! ; echo 'etcd Version: 3.5.0'"}, PathOnly(),
                  std::chrono::seconds(20));
  const auto took = Clock::now() - started;
  ASSERT_TRUE(ran.ok()) << ran.error().message;
  EXPECT_EQ(ran.value().exit_code, 0);
  EXPECT_NE(ran.value().output.find("etcd Version: 3.5.0"), std::string::npos);
  EXPECT_LT(took, std::chrono::seconds(2)) << "waited for the background sleep's end of the pipe";
  const pid_t left = static_cast<pid_t>(std::stol(ran.value().output));
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    gone = ::kill(left, 0) != 0 || Zombie(left);
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone) << "the background sleep outlived the command";
}

TEST(RunCapturedTest, ATimeoutKillsItAndSaysSo) {
  const auto started = Clock::now();
  Result<CommandOutput> ran =
      RunCaptured({"/bin/sleep", "30"}, PathOnly(), std::chrono::milliseconds(200));
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.error().message.find("did not finish within 200 ms"), std::string::npos);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(3));
}

TEST(RunCapturedTest, AProgramThatCannotStartSaysWhyAndLeavesNoPipeOpen) {
  const int before = OpenDescriptors();
  Result<CommandOutput> ran =
      RunCaptured({"/nonexistent/etcd", "--version"}, PathOnly(), std::chrono::seconds(5));
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.error().kind, ErrorKind::kIo);
  EXPECT_EQ(ran.error().message, "cannot run /nonexistent/etcd: No such file or directory");
  EXPECT_EQ(OpenDescriptors(), before);
  ASSERT_TRUE(RunCaptured({"/bin/true"}, PathOnly(), std::chrono::seconds(5)).ok());
  EXPECT_EQ(OpenDescriptors(), before);
}

}  // namespace
}  // namespace bp
