#include "manifests/manifest_text.h"

#include "base/strings.h"
#include "base/toml_fields.h"

namespace bp::manifests {

std::string_view WithoutByteOrderMark(std::string_view text) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (text.substr(0, kByteOrderMark.size()) == kByteOrderMark)
    text.remove_prefix(kByteOrderMark.size());
  return text;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::optional<std::string_view> ConsumeQuoted(std::string_view& text) {
  if (text.empty() || (text[0] != '"' && text[0] != '\'')) return std::nullopt;
  const size_t close = text.find(text[0], 1);
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view literal = text.substr(1, close - 1);
  text.remove_prefix(close + 1);
  return literal;
}

std::optional<toml::table> TomlOrNothing(std::string_view text) {
  Result<toml::table> table = ParseToml(text, "manifest");
  if (!table.ok()) return std::nullopt;
  return std::move(table).value();
}

std::string TomlString(toml::node_view<const toml::node> node) {
  const std::optional<std::string_view> value = node.value<std::string_view>();
  return value ? std::string(*value) : std::string();
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) { return ToLower(a) == ToLower(b); }

}  // namespace bp::manifests
