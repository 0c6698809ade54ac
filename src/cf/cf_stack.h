// The Cloud Foundry stack check libbuildpack makes before supplying (manifest.go
// CheckStackSupport / entrySupportsStack): a dependency is used only on the stacks its manifest
// entry lists, and this buildpack's entries list [metadata] cf-stacks.
#pragma once

#include <string_view>

#include "base/result.h"
#include "dependency/buildpack_toml.h"

namespace bp {

// Returns Ok when `stack` (CF_STACK) is one of the descriptor's cf-stacks. An empty `stack` (not
// staged by Cloud Foundry) or an empty cf-stacks list checks nothing. kInvalidInput otherwise, in
// libbuildpack's words ("required stack X was not found") plus the stacks that are supported.
Status CheckCfStack(const BuildpackDescriptor& descriptor, std::string_view stack);

}  // namespace bp
