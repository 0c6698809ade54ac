#include "base/version.h"

#include <array>
#include <cctype>

#include "base/strings.h"

namespace bp {

namespace {

constexpr const char* kAcceptedForms =
    "use a version like 3.6.14, a wildcard like 3.6.* or 3.*, a range like ~3.5, ^3.5.0 or "
    ">=3.5,<3.7, or alternatives joined by ||";

bool IsWildcard(std::string_view part) { return part == "*" || part == "x" || part == "X"; }

std::optional<uint64_t> ParseNumber(std::string_view digits) {
  if (digits.empty() || digits.size() > 9) return std::nullopt;
  if (digits.size() > 1 && digits[0] == '0') return std::nullopt;  // semver: no leading zeros
  uint64_t value = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

bool IsValidPrerelease(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
  }
  return text.front() != '.' && text.back() != '.' && text.find("..") == std::string_view::npos;
}

// A version as written in a constraint: `given` leading numbers, the rest wildcards or absent.
struct Partial {
  std::array<uint64_t, 3> numbers{0, 0, 0};
  int given = 0;
  std::string prerelease;
};

std::optional<Partial> ParsePartial(std::string_view text) {
  if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) text.remove_prefix(1);
  Partial partial;
  if (const size_t plus = text.find('+'); plus != std::string_view::npos) {
    if (!IsValidPrerelease(text.substr(plus + 1)))
      return std::nullopt;  // build metadata: same alphabet
    text = text.substr(0, plus);
  }
  if (const size_t dash = text.find('-'); dash != std::string_view::npos) {
    partial.prerelease = std::string(text.substr(dash + 1));
    if (!IsValidPrerelease(partial.prerelease)) return std::nullopt;
    text = text.substr(0, dash);
  }
  const std::vector<std::string> parts = SplitList(text, '.');
  if (parts.empty() || parts.size() > 3 || text.back() == '.' || text.front() == '.' ||
      text.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  bool wildcard_seen = false;
  for (const std::string& part : parts) {
    if (IsWildcard(part)) {
      wildcard_seen = true;
      continue;
    }
    const std::optional<uint64_t> number = ParseNumber(part);
    if (!number || wildcard_seen) return std::nullopt;
    partial.numbers[static_cast<size_t>(partial.given++)] = *number;
  }
  if (!partial.prerelease.empty() && partial.given < 3) return std::nullopt;
  return partial;
}

Version Floor(const Partial& p) { return {p.numbers[0], p.numbers[1], p.numbers[2], p.prerelease}; }

// The first version above the series a partial names: 3.6 → 3.7.0, 3 → 4.0.0.
Version Ceiling(const Partial& p) {
  if (p.given == 1) return {p.numbers[0] + 1, 0, 0, ""};
  if (p.given == 2) return {p.numbers[0], p.numbers[1] + 1, 0, ""};
  return {p.numbers[0], p.numbers[1], p.numbers[2] + 1, ""};
}

// The exclusive upper bound of a caret range: the next change of the leftmost non-zero part.
Version CaretCeiling(const Partial& p) {
  if (p.numbers[0] > 0 || p.given == 1) return {p.numbers[0] + 1, 0, 0, ""};
  if (p.numbers[1] > 0 || p.given == 2) return {0, p.numbers[1] + 1, 0, ""};
  return {0, 0, p.numbers[2] + 1, ""};
}

Version TildeCeiling(const Partial& p) {
  if (p.given == 1) return {p.numbers[0] + 1, 0, 0, ""};
  return {p.numbers[0], p.numbers[1] + 1, 0, ""};
}

}  // namespace

std::string Version::ToString() const {
  std::string text =
      std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  if (!prerelease.empty()) text += "-" + prerelease;
  return text;
}

std::optional<Version> ParseVersion(std::string_view text) {
  const std::optional<Partial> partial = ParsePartial(Trim(text));
  if (!partial || partial->given != 3) return std::nullopt;
  return Floor(*partial);
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
    const std::optional<uint64_t> xn = ParseNumber(x[i]);
    const std::optional<uint64_t> yn = ParseNumber(y[i]);
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

Result<VersionConstraint> VersionConstraint::Parse(std::string_view text) {
  VersionConstraint constraint;
  constraint.text_ = std::string(Trim(text));
  std::string_view rest = constraint.text_;
  while (true) {
    const size_t bar = rest.find("||");
    Result<Conjunction> conjunction = ParseConjunction(rest.substr(0, bar));
    if (!conjunction.ok()) {
      return MakeError(ErrorKind::kInvalidInput,
                       "invalid version constraint " + Quote(constraint.text_) + ": " +
                           conjunction.error().message,
                       kAcceptedForms);
    }
    constraint.alternatives_.push_back(std::move(conjunction).value());
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 2);
  }
  return constraint;
}

Result<VersionConstraint::Conjunction> VersionConstraint::ParseConjunction(std::string_view text) {
  // Longest first, so ">=" is not read as ">".
  static constexpr std::array<std::string_view, 9> kOperators{"~>", ">=", "<=", "!=", ">",
                                                              "<",  "=",  "~",  "^"};
  Conjunction all;
  text = Trim(text);
  if (text.empty()) return MakeError(ErrorKind::kInvalidInput, "empty alternative");
  if (ToLower(text) == "latest") return all;
  size_t pos = 0;
  auto skip_separators = [&] {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == ',' || text[pos] == '\t')) ++pos;
  };
  auto read_token = [&] {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    const size_t start = pos;
    while (pos < text.size() && text[pos] != ' ' && text[pos] != ',' && text[pos] != '\t') ++pos;
    return text.substr(start, pos - start);
  };
  skip_separators();
  while (pos < text.size()) {
    std::string_view op;
    for (std::string_view symbol : kOperators) {
      if (text.substr(pos, symbol.size()) == symbol) {
        op = symbol;
        pos += symbol.size();
        break;
      }
    }
    const std::string_view token = read_token();
    const std::optional<Partial> p = ParsePartial(token);
    if (!p)
      return MakeError(ErrorKind::kInvalidInput,
                       Quote(std::string(op) + std::string(token)) + " is not a version");
    const Version floor = Floor(*p);
    const bool exact = p->given == 3;
    // A hyphen range "A - B" follows a bare version.
    size_t look = pos;
    while (look < text.size() && text[look] == ' ') ++look;
    if (op.empty() && look + 1 < text.size() && text[look] == '-' && text[look + 1] == ' ') {
      pos = look + 1;
      const std::optional<Partial> upper = ParsePartial(read_token());
      if (!upper) return MakeError(ErrorKind::kInvalidInput, "bad upper bound in hyphen range");
      all.push_back({Op::kGe, floor});
      all.push_back(upper->given == 3 ? Comparator{Op::kLe, Floor(*upper)}
                                      : Comparator{Op::kLt, Ceiling(*upper)});
    } else if (op.empty() || op == "=") {
      if (exact) {
        all.push_back({Op::kEq, floor});
      } else if (p->given > 0) {
        all.push_back({Op::kGe, floor});
        all.push_back({Op::kLt, Ceiling(*p)});
      }
    } else if (op == "!=") {
      if (!exact) return MakeError(ErrorKind::kInvalidInput, "!= needs a full version");
      all.push_back({Op::kNe, floor});
    } else if (op == ">=") {
      if (p->given > 0) all.push_back({Op::kGe, floor});
    } else if (op == ">" || op == "<" || op == "<=") {
      if (p->given == 0)
        return MakeError(ErrorKind::kInvalidInput, std::string(op) + " needs a version");
      if (op == ">")
        all.push_back(exact ? Comparator{Op::kGt, floor} : Comparator{Op::kGe, Ceiling(*p)});
      if (op == "<") all.push_back({Op::kLt, floor});
      if (op == "<=")
        all.push_back(exact ? Comparator{Op::kLe, floor} : Comparator{Op::kLt, Ceiling(*p)});
    } else if (p->given > 0) {
      // ~, ^ and Ruby's ~> (which Paketo reads as ~ for X.Y.Z and ^ for X.Y or X).
      const bool caret = op == "^" || (op == "~>" && !exact);
      all.push_back({Op::kGe, floor});
      all.push_back({Op::kLt, caret ? CaretCeiling(*p) : TildeCeiling(*p)});
    }
    skip_separators();
  }
  return all;
}

bool VersionConstraint::Satisfies(const Conjunction& all, const Version& version) {
  bool prerelease_allowed = version.prerelease.empty();
  for (const Comparator& c : all) {
    const int cmp = CompareVersions(version, c.version);
    bool ok = false;
    switch (c.op) {
      case Op::kEq:
        ok = cmp == 0;
        break;
      case Op::kNe:
        ok = cmp != 0;
        break;
      case Op::kLt:
        ok = cmp < 0;
        break;
      case Op::kLe:
        ok = cmp <= 0;
        break;
      case Op::kGt:
        ok = cmp > 0;
        break;
      case Op::kGe:
        ok = cmp >= 0;
        break;
    }
    if (!ok) return false;
    if (!c.version.prerelease.empty() && c.version.major == version.major &&
        c.version.minor == version.minor && c.version.patch == version.patch) {
      prerelease_allowed = true;
    }
  }
  return prerelease_allowed;
}

bool VersionConstraint::Matches(const Version& version) const {
  for (const Conjunction& all : alternatives_) {
    if (Satisfies(all, version)) return true;
  }
  return false;
}

}  // namespace bp
