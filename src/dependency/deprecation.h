// Deprecation warnings in Paketo's manner: a dependency whose deprecation_date is within 30
// days is announced, one past it is called deprecated. Never fails a build.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "dependency/dependency.h"

namespace bp {

// Returns the warning to print for `dep` at `now`, or nullopt. Unparseable dates are ignored.
std::optional<std::string> DeprecationWarning(const Dependency& dep,
                                              std::chrono::system_clock::time_point now);

}  // namespace bp
