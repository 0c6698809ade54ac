// What /proc/<pid>/stat says about a process: its state and its start time. The start time
// (clock ticks after boot) tells a reused PID from the process once recorded there.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace bp {

struct ProcessStat {
  char state = '\0';       // R, S, D, T (stopped), t (traced), Z (zombie), X …
  std::string start_time;  // field 22
};

// Returns the state and start time of `pid`; nullopt when the process is gone (or unreadable).
std::optional<ProcessStat> ReadProcessStat(pid_t pid);

}  // namespace bp
