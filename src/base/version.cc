#include "base/version.h"

#include <array>

#include "base/strings.h"
#include "base/version_partial.h"

namespace bp {

std::string Version::ToString() const {
  std::string text =
      std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  if (!prerelease.empty()) text += "-" + prerelease;
  return text;
}

std::optional<Version> ParseVersion(std::string_view text) {
  const std::optional<PartialVersion> partial = ParsePartialVersion(Trim(text));
  if (!partial || partial->given != 3) return std::nullopt;
  return partial->Floor();
}

int CompareVersions(const Version& a, const Version& b) {
  const std::array<uint64_t, 3> left{a.major, a.minor, a.patch};
  const std::array<uint64_t, 3> right{b.major, b.minor, b.patch};
  for (size_t i = 0; i < 3; ++i) {
    if (left[i] != right[i]) return left[i] < right[i] ? -1 : 1;
  }
  if (a.prerelease == b.prerelease) return 0;
  if (a.prerelease.empty()) return 1;  // a release ranks above its prereleases
  if (b.prerelease.empty()) return -1;
  const std::vector<std::string> x = SplitList(a.prerelease, '.');
  const std::vector<std::string> y = SplitList(b.prerelease, '.');
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    const std::optional<uint64_t> xn = ParseVersionNumber(x[i]);
    const std::optional<uint64_t> yn = ParseVersionNumber(y[i]);
    if (xn && yn) {
      if (*xn != *yn) return *xn < *yn ? -1 : 1;
    } else if (xn || yn) {
      return xn ? -1 : 1;  // numeric identifiers rank lower
    } else if (x[i] != y[i]) {
      return x[i] < y[i] ? -1 : 1;
    }
  }
  if (x.size() == y.size()) return 0;
  return x.size() < y.size() ? -1 : 1;
}

}  // namespace bp
