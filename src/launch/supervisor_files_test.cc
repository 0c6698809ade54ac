#include "launch/supervisor_files.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch/process_stat.h"
#include "testing/test_util.h"

namespace bp {
namespace {

TEST(SupervisorFileStemTest, OneNamePerUserAndAddressNeverAPath) {
  EXPECT_EQ(SupervisorFileStem(0, "127.0.0.1", 2379), "etcd-proxy-supervisor-0-127.0.0.1_2379");
  EXPECT_EQ(SupervisorFileStem(1000, "::1", 2379), "etcd-proxy-supervisor-1000-__1_2379");
  EXPECT_EQ(SupervisorFileStem(0, "../x", 1), "etcd-proxy-supervisor-0-.._x_1");
}

Result<CanonicalListen> Canonical(const std::string& listen) {
  return CanonicalizeListen(ListenAddress{listen, ParseListenAddress(listen).value()});
}

TEST(CanonicalizeListenTest, SpellingsOfOneListenerAreOneAddress) {
  EXPECT_EQ(Canonical("localhost:2379").value().host, "127.0.0.1");
  EXPECT_EQ(Canonical("127.0.0.1:02379").value().port, 2379);
  EXPECT_EQ(Canonical(":2379").value().host, "0.0.0.0");
  EXPECT_EQ(Canonical("[::1]:2379").value().host, "::1");
}

TEST(ListenAddressTakenTest, OnlyWhileSomethingListens) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ASSERT_EQ(::listen(fd, 1), 0);
  const CanonicalListen listen =
      Canonical("127.0.0.1:" + std::to_string(ntohs(address.sin_port))).value();
  EXPECT_TRUE(ListenAddressTaken(listen));
  EXPECT_TRUE(ListenAddressTaken(Canonical("localhost:" + std::to_string(listen.port)).value()));
  ::close(fd);
  EXPECT_FALSE(ListenAddressTaken(listen));
}

TEST(SupervisorRecordTest, RoundTripsAndRefusesGarbage) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const fs::path path = tmp.path() / "r.pid";
  ASSERT_TRUE(WriteSupervisorRecord(path, 43).ok());
  const std::optional<SupervisorRecord> back = ReadSupervisorRecord(path, ::geteuid());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->pid, ::getpid());
  EXPECT_EQ(back->start_time, ReadProcessStat(::getpid())->start_time);
  EXPECT_EQ(back->proxy, 43);
  for (const char* bad : {"", "42", "x 1 2", "-1 5 0", "42 5 0 extra"}) {
    testing::WriteFile(path, bad);
    EXPECT_FALSE(ReadSupervisorRecord(path, ::geteuid())) << bad;
  }
  testing::WriteFile(path, "42 123456 0\n");
  EXPECT_TRUE(ReadSupervisorRecord(path, ::geteuid())) << "the garbage, not the file, was refused";
}

TEST(SupervisorRecordTest, ThisProcessRunsAndAStoppedOrEndedOneDoesNot) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const fs::path path = tmp.path() / "r.pid";
  ASSERT_TRUE(WriteSupervisorRecord(path, 0).ok());
  const std::optional<SupervisorRecord> self = ReadSupervisorRecord(path, ::geteuid());
  ASSERT_TRUE(self);
  EXPECT_EQ(StateOf(*self), SupervisorState::kRunning);
  EXPECT_FALSE(ProxyRuns(*self));
  EXPECT_FALSE(ReadSupervisorRecord(path, ::geteuid() + 1)) << "only the owner's record counts";

  const pid_t child = ::fork();
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  SupervisorRecord other = *self;
  other.proxy = child;
  EXPECT_TRUE(ProxyRuns(other));
  ::kill(child, SIGSTOP);
  ::waitpid(child, nullptr, WUNTRACED);
  const SupervisorRecord stopped{child, ReadProcessStat(child).value().start_time, 0};
  EXPECT_EQ(StateOf(stopped), SupervisorState::kStopped);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_FALSE(ProxyRuns(other));
  SupervisorRecord reused = *self;
  reused.start_time = "1";
  EXPECT_EQ(StateOf(reused), SupervisorState::kGone)
      << "a PID whose start time differs is another process";
}

TEST(TryLockSupervisorTest, OneHolderAndPreciseErrors) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const fs::path path = tmp.path() / "x.lock";
  Result<SupervisorLock> first = TryLockSupervisor(path);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first.value().acquired);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  Result<SupervisorLock> second = TryLockSupervisor(path);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second.value().acquired);
  ::close(second.value().fd);
  ::close(first.value().fd);

  ASSERT_EQ(::symlink("x.lock", (tmp.path() / "link.lock").c_str()), 0);
  Result<SupervisorLock> link = TryLockSupervisor(tmp.path() / "link.lock");
  ASSERT_FALSE(link.ok());
  EXPECT_NE(link.error().message.find("symbolic link"), std::string::npos) << link.error().message;
  ASSERT_EQ(::mkdir((tmp.path() / "dir.lock").c_str(), 0700), 0);
  Result<SupervisorLock> dir = TryLockSupervisor(tmp.path() / "dir.lock");
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().message.find("directory"), std::string::npos) << dir.error().message;
  Result<SupervisorLock> missing = TryLockSupervisor(tmp.path() / "none" / "x.lock");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("TMPDIR does not exist"), std::string::npos)
      << missing.error().message;
}

}  // namespace
}  // namespace bp
