// Fuzzes semantic versions and constraints (base/version.h). The first line of the input
// is the constraint; any further lines are versions to match against it (besides a fixed set).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/strings.h"
#include "base/version.h"
#include "fuzz_util.h"

namespace {

const char* const kVersions[] = {"0.0.0",
                                 "0.1.0",
                                 "3.4.37",
                                 "3.5.0",
                                 "3.5.21",
                                 "3.6.0-rc.1",
                                 "3.6.0",
                                 "3.6.14",
                                 "3.7.0-alpha.1",
                                 "4.0.0",
                                 "999999999.999999999.999999999"};

void CheckVersion(std::string_view text) {
  const std::optional<bp::Version> version = bp::ParseVersion(text);
  if (!version) return;
  // ToString must give text that parses back to the same version.
  const std::string shown = version->ToString();
  const std::optional<bp::Version> again = bp::ParseVersion(shown);
  BP_FUZZ_CHECK(again.has_value(), "ToString gave unparseable \"" + shown + "\"");
  BP_FUZZ_CHECK(
      bp::CompareVersions(*version, *again) == 0 && again->prerelease == version->prerelease,
      "ToString round trip changed \"" + shown + "\"");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = bp_fuzz::AsText(data, size);
  const size_t newline = text.find('\n');
  const std::string_view constraint_text = text.substr(0, newline);

  std::vector<bp::Version> versions;
  for (const char* fixed : kVersions) versions.push_back(*bp::ParseVersion(fixed));
  CheckVersion(text);
  CheckVersion(constraint_text);
  if (newline != std::string_view::npos) {
    size_t extra = 0;
    for (const std::string& line : bp::SplitList(text.substr(newline + 1), '\n')) {
      if (++extra > 32) break;  // the pairwise checks below are quadratic
      CheckVersion(line);
      if (std::optional<bp::Version> v = bp::ParseVersion(line)) versions.push_back(*v);
    }
  }
  // CompareVersions must be a consistent ordering (ResolveDependency sorts with it).
  for (const bp::Version& a : versions) {
    BP_FUZZ_CHECK(bp::CompareVersions(a, a) == 0, "a version differs from itself: " + a.ToString());
    for (const bp::Version& b : versions) {
      const int ab = bp::CompareVersions(a, b);
      const int ba = bp::CompareVersions(b, a);
      BP_FUZZ_CHECK(
          (ab < 0) == (ba > 0) && (ab == 0) == (ba == 0),
          "CompareVersions is not antisymmetric for " + a.ToString() + " and " + b.ToString());
    }
  }

  bp::Result<bp::VersionConstraint> constraint = bp::VersionConstraint::Parse(constraint_text);
  if (!constraint.ok()) {
    BP_FUZZ_CHECK(constraint.error().kind == bp::ErrorKind::kInvalidInput, "not kInvalidInput");
    return 0;
  }
  // The text a constraint keeps (for messages) must parse to the same constraint.
  bp::Result<bp::VersionConstraint> again = bp::VersionConstraint::Parse(constraint.value().text());
  BP_FUZZ_CHECK(again.ok(),
                "text() of a parsed constraint does not parse: " + constraint.value().text());
  for (const bp::Version& version : versions) {
    BP_FUZZ_CHECK(constraint.value().Matches(version) == again.value().Matches(version),
                  "reparsed constraint disagrees on " + version.ToString());
  }
  return 0;
}
