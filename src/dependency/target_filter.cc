#include "dependency/target_filter.h"

#include <vector>

#include "base/strings.h"
#include "base/toml_fields.h"

namespace bp {

namespace {

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const size_t length = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(0, length));
    text.remove_prefix(length);
  }
  return lines;
}

bool IsHeader(std::string_view line) { return StartsWith(Trim(line), "["); }
bool IsTargetsHeader(std::string_view line) {
  std::string compact;
  for (char c : Trim(line.substr(0, line.find('#')))) {
    if (c != ' ' && c != '\t') compact += c;
  }
  return compact == "[[targets]]";
}
bool IsBlankOrComment(std::string_view line) {
  const std::string_view trimmed = Trim(line);
  return trimmed.empty() || trimmed.front() == '#';
}

// Returns the target a lone [[targets]] block declares.
Result<Target> BlockTarget(const std::string& block) {
  Result<toml::table> parsed = ParseToml(block, "[[targets]]");
  if (!parsed.ok()) return parsed.error();
  const toml::array* targets = parsed.value()["targets"].as_array();
  const toml::table* table =
      targets != nullptr && targets->size() == 1 ? targets->get(0)->as_table() : nullptr;
  if (table == nullptr)
    return MakeError(ErrorKind::kInvalidInput, "a [[targets]] table is malformed");
  const auto field = [table](const char* key) {
    const toml::node* node = table->get(key);
    return std::string(node != nullptr ? node->value_or(std::string_view{}) : std::string_view{});
  };
  return Target{field("os"), field("arch")};
}

}  // namespace

Result<std::string> KeepOnlyTarget(std::string_view text, const Target& target) {
  const std::vector<std::string_view> lines = Lines(text);
  std::string out;
  size_t kept = 0;
  for (size_t i = 0; i < lines.size();) {
    if (!IsTargetsHeader(lines[i])) {
      out += lines[i++];
      continue;
    }
    size_t end = i + 1;
    while (end < lines.size() && !IsHeader(lines[end])) ++end;
    // Comments and blank lines at the end of the block introduce what follows it: keep them.
    size_t body_end = end;
    while (body_end > i + 1 && IsBlankOrComment(lines[body_end - 1])) --body_end;
    std::string block;
    for (size_t j = i; j < body_end; ++j) block += lines[j];
    Result<Target> declared = BlockTarget(block);
    if (!declared.ok()) return declared.error();
    const bool keep = declared.value().os == target.os && declared.value().arch == target.arch;
    if (keep) {
      out += block;
      ++kept;
    }
    size_t tail = body_end;
    while (!keep && tail < end && Trim(lines[tail]).empty()) ++tail;  // no gap where the block was
    for (size_t j = tail; j < end; ++j) out += lines[j];
    i = end;
  }
  if (kept == 0) {
    return MakeError(ErrorKind::kInvalidInput,
                     "buildpack.toml declares no [[targets]] for " + target.ToString());
  }
  Result<toml::table> check = ParseToml(out, "buildpack.toml for " + target.ToString());
  if (!check.ok()) return check.error();
  return out;
}

}  // namespace bp
