// Semantic versions (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]) and constraints over them, with the
// forms Paketo users write in BP_*_VERSION: 3.6.14, 3.6.*, 3.*, 3.6, ~3.5, ~> 3.5, ^3.5.0,
// >=3.5,<3.7, "1.2 - 1.4", alternatives joined by ||, and * or latest for any release.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bp {

struct Version {
  uint64_t major = 0;
  uint64_t minor = 0;
  uint64_t patch = 0;
  std::string prerelease;  // empty for a release

  std::string ToString() const;
};

// Returns the version in `text` ("3.6.14", "v3.6.14", "3.6.14-rc.1+build"), or nullopt.
std::optional<Version> ParseVersion(std::string_view text);

// Returns <0, 0 or >0 by semver precedence (build metadata ignored).
int CompareVersions(const Version& a, const Version& b);

class VersionConstraint {
 public:
  // Parses `text`; kInvalidInput with the accepted forms when it is not a constraint.
  static Result<VersionConstraint> Parse(std::string_view text);

  // Returns true when `version` satisfies the constraint. Prereleases only match a comparator
  // that names the same MAJOR.MINOR.PATCH with a prerelease (npm's rule), so "3.*" never
  // picks a release candidate.
  bool Matches(const Version& version) const;

  const std::string& text() const { return text_; }

 private:
  enum class Op { kEq, kLt, kLe, kGt, kGe, kNe };
  struct Comparator {
    Op op;
    Version version;

    // Returns true when `candidate` stands in relation `op` to `version`.
    bool Accepts(const Version& candidate) const;
    // Returns true when `version` is a prerelease of `candidate`'s MAJOR.MINOR.PATCH.
    bool NamesPrereleaseOf(const Version& candidate) const;
  };
  using Conjunction = std::vector<Comparator>;
  class ConjunctionParser;  // reads the text between two ||s (version.cc)

  static bool Satisfies(const Conjunction& all, const Version& version);

  std::string text_;
  std::vector<Conjunction> alternatives_;
};

}  // namespace bp
