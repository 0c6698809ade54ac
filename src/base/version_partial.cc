#include "base/version_partial.h"

#include <cctype>
#include <vector>

#include "base/strings.h"

namespace bp {

namespace {

bool IsWildcard(std::string_view part) { return part == "*" || part == "x" || part == "X"; }

bool IsValidPrerelease(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
  }
  return text.front() != '.' && text.back() != '.' && text.find("..") == std::string_view::npos;
}

// Drops "+BUILD" from `text`; false when the build metadata is malformed.
bool DropBuildMetadata(std::string_view& text) {
  const size_t plus = text.find('+');
  if (plus == std::string_view::npos) return true;
  if (!IsValidPrerelease(text.substr(plus + 1))) return false;  // build metadata: same alphabet
  text = text.substr(0, plus);
  return true;
}

// Moves "-PRERELEASE" from `text` into `prerelease`; false when it is malformed.
bool TakePrerelease(std::string_view& text, std::string& prerelease) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) return true;
  prerelease = std::string(text.substr(dash + 1));
  if (!IsValidPrerelease(prerelease)) return false;
  text = text.substr(0, dash);
  return true;
}

// Reads "3", "3.6", "3.6.14", "3.*", "3.6.x" into `partial`: numbers first, wildcards after.
bool ParseNumbers(std::string_view text, PartialVersion& partial) {
  const std::vector<std::string> parts = SplitList(text, '.');
  if (parts.empty() || parts.size() > 3 || text.back() == '.' || text.front() == '.' ||
      text.find("..") != std::string_view::npos) {
    return false;
  }
  bool wildcard_seen = false;
  for (const std::string& part : parts) {
    if (IsWildcard(part)) {
      wildcard_seen = true;
      continue;
    }
    const std::optional<uint64_t> number = ParseVersionNumber(part);
    if (!number || wildcard_seen) return false;
    partial.numbers[static_cast<size_t>(partial.given++)] = *number;
  }
  return true;
}

}  // namespace

std::optional<uint64_t> ParseVersionNumber(std::string_view digits) {
  if (digits.empty() || digits.size() > 9) return std::nullopt;
  if (digits.size() > 1 && digits[0] == '0') return std::nullopt;  // semver: no leading zeros
  uint64_t value = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

std::optional<PartialVersion> ParsePartialVersion(std::string_view text) {
  if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) text.remove_prefix(1);
  PartialVersion partial;
  if (!DropBuildMetadata(text) || !TakePrerelease(text, partial.prerelease) ||
      !ParseNumbers(text, partial)) {
    return std::nullopt;
  }
  if (!partial.prerelease.empty() && partial.given < 3) return std::nullopt;
  return partial;
}

Version PartialVersion::Floor() const { return {numbers[0], numbers[1], numbers[2], prerelease}; }

Version PartialVersion::Ceiling() const {
  if (given == 1) return {numbers[0] + 1, 0, 0, ""};
  if (given == 2) return {numbers[0], numbers[1] + 1, 0, ""};
  return {numbers[0], numbers[1], numbers[2] + 1, ""};
}

}  // namespace bp
