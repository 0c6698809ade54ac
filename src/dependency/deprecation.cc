#include "dependency/deprecation.h"

#include <cstdio>
#include <ctime>

namespace bp {

std::optional<std::string> DeprecationWarning(const Dependency& dep,
                                              std::chrono::system_clock::time_point now) {
  std::tm date{};
  if (dep.deprecation_date.size() < 10 ||
      std::sscanf(dep.deprecation_date.c_str(), "%4d-%2d-%2d", &date.tm_year, &date.tm_mon,
                  &date.tm_mday) != 3 ||
      date.tm_mon < 1 || date.tm_mon > 12 || date.tm_mday < 1 || date.tm_mday > 31) {
    return std::nullopt;
  }
  date.tm_year -= 1900;
  date.tm_mon -= 1;
  const auto deprecated_on = std::chrono::system_clock::from_time_t(timegm(&date));
  const std::string what = dep.name + " " + dep.version;
  const std::string day = dep.deprecation_date.substr(0, 10);
  if (now >= deprecated_on)
    return what + " has been deprecated since " + day + "; pick a newer version";
  if (deprecated_on - now <= std::chrono::hours(24 * 30))
    return what + " will be deprecated after " + day;
  return std::nullopt;
}

}  // namespace bp
