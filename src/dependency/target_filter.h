// Narrowing a buildpack.toml to one target, for single-arch archives: an archive holding only amd64
// executables must declare only linux/amd64, or a platform would accept it on an arm64 builder
// where bin/detect cannot run (buildpack spec: each target identifies a compatible runtime
// environment).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "base/target.h"

namespace bp {

// Returns buildpack.toml `text` without the [[targets]] tables that are not `target`; every other
// line, comments included, is kept byte for byte. kInvalidInput when `target` is not declared or
// the text does not parse.
Result<std::string> KeepOnlyTarget(std::string_view text, const Target& target);

}  // namespace bp
