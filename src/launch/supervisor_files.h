// How launches in one container find the embedded supervisor of a listen address, and how
// they tell a working one from something that only looks like it.
//
// - The address is canonical (CanonicalListen): `localhost:P` is the address it binds
//   (127.0.0.1:P), so spellings of one listener share one supervisor.
// - The lock `$TMPDIR/etcd-proxy-supervisor-<uid>-<address>.lock` is private (0600) and must
//   belong to this user, so no other user can create, hold or block it. Its holder is the
//   supervisor (flock, released by the kernel when it dies).
// - The record `…-<uid>-<address>.pid` (0644, written by the supervisor through a rename) names
//   the supervisor (PID and start time) and its running grpc-proxy (0 while none runs). Other
//   launches believe a record only from its owner: this user, or root.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

#include "base/address.h"
#include "base/result.h"

namespace bp {

namespace fs = std::filesystem;

// A listen address as the kernel sees it: the host it binds (an IP address) and the port.
struct CanonicalListen {
  std::string host;  // "127.0.0.1", "::1", "0.0.0.0", "::" (":port" listens everywhere)
  int port = 0;
  sockaddr_storage address{};
  socklen_t address_length = 0;
};

// Resolves `listen` as grpc-proxy (Go's net.Listen) would bind it: a name to its first IPv4
// address, else its first address.
Result<CanonicalListen> CanonicalizeListen(const ListenAddress& listen);

// Returns true when something already listens on `listen` (a bind to it fails with EADDRINUSE;
// SO_REUSEADDR as Go sets it, so a closed connection in TIME_WAIT does not count).
bool ListenAddressTaken(const CanonicalListen& listen);

// Returns "etcd-proxy-supervisor-<uid>-<host>_<port>": the lock and record names without their
// suffixes; anything but letters, digits and dots becomes '_', so it never names a path.
std::string SupervisorFileStem(uid_t uid, const std::string& host, int port);

struct SupervisorRecord {
  pid_t pid = 0;
  std::string start_time;  // /proc/<pid>/stat field 22, so a reused PID is not mistaken for it
  pid_t proxy = 0;         // the running grpc-proxy, 0 while none runs
};

// What a record says about its supervisor now.
enum class SupervisorState { kRunning, kStopped, kGone };
SupervisorState StateOf(const SupervisorRecord& record);
// Returns true when the record's grpc-proxy runs (and is not a zombie).
bool ProxyRuns(const SupervisorRecord& record);

// Writes the record of this process (the supervisor) with its proxy `proxy` (0: none).
Status WriteSupervisorRecord(const fs::path& path, pid_t proxy);
// Reads the record at `path` when it is a regular file owned by `owner`; nullopt otherwise.
std::optional<SupervisorRecord> ReadSupervisorRecord(const fs::path& path, uid_t owner);

// The supervisor lock of one user and address. `acquired` false: another process holds it.
struct SupervisorLock {
  int fd = -1;
  bool acquired = false;
};

// Opens (creating it 0600) and tries the lock at `path`. Errors name the file and what is wrong
// with it: a symbolic link, a directory, a file of another user, a TMPDIR that cannot be written.
Result<SupervisorLock> TryLockSupervisor(const fs::path& path);

}  // namespace bp
