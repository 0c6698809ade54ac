// VersionConstraint (declared in base/version.h): reading the forms users write, and matching.
#include <array>

#include "base/strings.h"
#include "base/version.h"
#include "base/version_partial.h"

namespace bp {

namespace {

constexpr const char* kAcceptedForms =
    "use a version like 3.6.14, a wildcard like 3.6.* or 3.*, a range like ~3.5, ^3.5.0 or "
    ">=3.5,<3.7, or alternatives joined by ||";

// The exclusive upper bound of a caret range: the next change of the leftmost non-zero part.
Version CaretCeiling(const PartialVersion& p) {
  if (p.numbers[0] > 0 || p.given == 1) return {p.numbers[0] + 1, 0, 0, ""};
  if (p.numbers[1] > 0 || p.given == 2) return {0, p.numbers[1] + 1, 0, ""};
  return {0, 0, p.numbers[2] + 1, ""};
}

Version TildeCeiling(const PartialVersion& p) {
  if (p.given == 1) return {p.numbers[0] + 1, 0, 0, ""};
  return {p.numbers[0], p.numbers[1] + 1, 0, ""};
}

}  // namespace

// Reads one alternative (the text between ||s) left to right: comparisons, each an optional
// operator and a version, separated by spaces, tabs or commas; a bare version, " - " and a version
// is a hyphen range.
class VersionConstraint::ConjunctionParser {
 public:
  explicit ConjunctionParser(std::string_view text) : text_(Trim(text)) {}

  Result<Conjunction> Parse() {
    if (text_.empty()) return MakeError(ErrorKind::kInvalidInput, "empty alternative");
    if (ToLower(text_) == "latest") return Conjunction{};
    Conjunction all;
    SkipSeparators();
    while (pos_ < text_.size()) {
      if (Status read = ReadComparison(all); !read.ok()) return read.error();
      SkipSeparators();
    }
    return all;
  }

 private:
  void SkipSeparators() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == ',' || text_[pos_] == '\t'))
      ++pos_;
  }

  // Returns the operator at the cursor, or "" when a version starts there.
  std::string_view ReadOperator() {
    // Longest first, so ">=" is not read as ">".
    static constexpr std::array<std::string_view, 9> kOperators{"~>", ">=", "<=", "!=", ">",
                                                                "<",  "=",  "~",  "^"};
    for (std::string_view symbol : kOperators) {
      if (text_.substr(pos_, symbol.size()) == symbol) {
        pos_ += symbol.size();
        return symbol;
      }
    }
    return {};
  }

  // Returns the text up to the next separator, after any spaces (only spaces: an operator may be
  // spaced from its version, "~> 3.5").
  std::string_view ReadToken() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ' ' && text_[pos_] != ',' && text_[pos_] != '\t')
      ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // Steps over the " - " of a hyphen range when one is at the cursor.
  bool SkipHyphen() {
    size_t look = pos_;
    while (look < text_.size() && text_[look] == ' ') ++look;
    if (look + 1 >= text_.size() || text_[look] != '-' || text_[look + 1] != ' ') return false;
    pos_ = look + 1;
    return true;
  }

  Status ReadComparison(Conjunction& all) {
    const std::string_view op = ReadOperator();
    const std::string_view token = ReadToken();
    const std::optional<PartialVersion> p = ParsePartialVersion(token);
    if (!p) {
      return MakeError(ErrorKind::kInvalidInput,
                       Quote(std::string(op) + std::string(token)) + " is not a version");
    }
    if (op.empty() && SkipHyphen()) return ReadHyphenRange(*p, all);
    if (op.empty() || op == "=") return AppendEqual(*p, all);
    if (op == "~" || op == "^" || op == "~>") return AppendRange(op, *p, all);
    return AppendOrdering(op, *p, all);
  }

  // "1.2 - 1.4": from the lower version up to and including the whole upper series.
  Status ReadHyphenRange(const PartialVersion& lower, Conjunction& all) {
    const std::optional<PartialVersion> upper = ParsePartialVersion(ReadToken());
    if (!upper) return MakeError(ErrorKind::kInvalidInput, "bad upper bound in hyphen range");
    all.push_back({Op::kGe, lower.Floor()});
    all.push_back(upper->given == 3 ? Comparator{Op::kLe, upper->Floor()}
                                    : Comparator{Op::kLt, upper->Ceiling()});
    return Ok();
  }

  // "3.6.14" is that version, "3.6" and "3.6.*" the series, "*" anything.
  static Status AppendEqual(const PartialVersion& p, Conjunction& all) {
    if (p.given == 3) {
      all.push_back({Op::kEq, p.Floor()});
    } else if (p.given > 0) {
      all.push_back({Op::kGe, p.Floor()});
      all.push_back({Op::kLt, p.Ceiling()});
    }
    return Ok();
  }

  // ~, ^ and Ruby's ~> (which Paketo reads as ~ for X.Y.Z and ^ for X.Y or X).
  static Status AppendRange(std::string_view op, const PartialVersion& p, Conjunction& all) {
    if (p.given == 0) return Ok();
    const bool caret = op == "^" || (op == "~>" && p.given != 3);
    all.push_back({Op::kGe, p.Floor()});
    all.push_back({Op::kLt, caret ? CaretCeiling(p) : TildeCeiling(p)});
    return Ok();
  }

  // !=, >=, >, < and <=; a partial version stands for its whole series (">3.5" is ">=3.6.0").
  static Status AppendOrdering(std::string_view op, const PartialVersion& p, Conjunction& all) {
    const Version floor = p.Floor();
    const bool exact = p.given == 3;
    if (op == "!=") {
      if (!exact) return MakeError(ErrorKind::kInvalidInput, "!= needs a full version");
      all.push_back({Op::kNe, floor});
    } else if (op == ">=") {
      if (p.given > 0) all.push_back({Op::kGe, floor});
    } else if (p.given == 0) {
      return MakeError(ErrorKind::kInvalidInput, std::string(op) + " needs a version");
    } else if (op == ">") {
      all.push_back(exact ? Comparator{Op::kGt, floor} : Comparator{Op::kGe, p.Ceiling()});
    } else if (op == "<") {
      all.push_back({Op::kLt, floor});
    } else {  // <=
      all.push_back(exact ? Comparator{Op::kLe, floor} : Comparator{Op::kLt, p.Ceiling()});
    }
    return Ok();
  }

  std::string_view text_;
  size_t pos_ = 0;
};

Result<VersionConstraint> VersionConstraint::Parse(std::string_view text) {
  VersionConstraint constraint;
  constraint.text_ = std::string(Trim(text));
  std::string_view rest = constraint.text_;
  while (true) {
    const size_t bar = rest.find("||");
    Result<Conjunction> conjunction = ConjunctionParser(rest.substr(0, bar)).Parse();
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

bool VersionConstraint::Comparator::Accepts(const Version& candidate) const {
  const int cmp = CompareVersions(candidate, version);
  switch (op) {
    case Op::kEq:
      return cmp == 0;
    case Op::kNe:
      return cmp != 0;
    case Op::kLt:
      return cmp < 0;
    case Op::kLe:
      return cmp <= 0;
    case Op::kGt:
      return cmp > 0;
    case Op::kGe:
      return cmp >= 0;
  }
  return false;
}

bool VersionConstraint::Comparator::NamesPrereleaseOf(const Version& candidate) const {
  return !version.prerelease.empty() && version.major == candidate.major &&
         version.minor == candidate.minor && version.patch == candidate.patch;
}

bool VersionConstraint::Satisfies(const Conjunction& all, const Version& version) {
  bool prerelease_allowed = version.prerelease.empty();
  for (const Comparator& c : all) {
    if (!c.Accepts(version)) return false;
    if (c.NamesPrereleaseOf(version)) prerelease_allowed = true;
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
