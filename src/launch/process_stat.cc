#include "launch/process_stat.h"

#include <fstream>
#include <sstream>

namespace bp {

std::optional<ProcessStat> ReadProcessStat(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  const size_t paren = line.rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(paren + 1));
  std::string field;
  ProcessStat stat;
  for (int index = 3; fields >> field; ++index) {  // field 3 is the state, 22 the start time
    if (index == 3) stat.state = field.empty() ? '\0' : field[0];
    if (index == 22) {
      stat.start_time = field;
      return stat;
    }
  }
  return std::nullopt;
}

}  // namespace bp
