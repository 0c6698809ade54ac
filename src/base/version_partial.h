// A version as written in a constraint or a version setting ("3", "3.6.*", "v3.6.14-rc.1+build"):
// the leading numbers given, the rest wildcards or absent. The grammar ParseVersion and
// VersionConstraint (base/version.h) share.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/version.h"

namespace bp {

struct PartialVersion {
  std::array<uint64_t, 3> numbers{0, 0, 0};
  int given = 0;           // how many leading numbers were written: 0 for "*", 3 for "3.6.14"
  std::string prerelease;  // only with all three numbers

  // Returns the lowest version it names: 3.6 → 3.6.0.
  Version Floor() const;
  // Returns the first version above the series it names: 3.6 → 3.7.0, 3 → 4.0.0.
  Version Ceiling() const;
};

// Returns the partial version in `text` (a leading v or V and +BUILD allowed), or nullopt.
std::optional<PartialVersion> ParsePartialVersion(std::string_view text);

// Returns the value of a semver numeric identifier (digits, no leading zero, at most 9), or
// nullopt.
std::optional<uint64_t> ParseVersionNumber(std::string_view digits);

}  // namespace bp
