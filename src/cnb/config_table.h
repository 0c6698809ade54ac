// The configuration table a Paketo build prints: every setting buildpack.toml declares, its
// current value (or default) and what it does. Values that are URLs are shown without userinfo.
#pragma once

#include <string>
#include <vector>

#include "base/env.h"
#include "dependency/buildpack_toml.h"

namespace bp {

// Returns the "Build Configuration:" and "Launch Configuration:" sections, one setting a line.
std::string ConfigurationTable(const std::vector<Configuration>& configurations, const Env& env);

}  // namespace bp
