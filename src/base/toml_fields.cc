#include "base/toml_fields.h"

#include <sstream>

namespace bp {

namespace {

Error WrongType(std::string_view what, std::string_view expected) {
  return MakeError(ErrorKind::kInvalidInput,
                   std::string(what) + " must be " + std::string(expected));
}

// toml++ 3.3.0 classifies non-ASCII code points with a table that reaches __builtin_unreachable
// (undefined behaviour) for many of them, from several parser paths. Everything the buildpack
// reads from TOML is ASCII by design, so the parser never sees a non-ASCII byte: each reads as '?'
// (still a parse error in a bare key; text inside strings and comments just changes).
std::string WithoutNonAscii(std::string_view text, bool* replaced) {
  std::string safe(text);
  for (char& c : safe) {
    if ((static_cast<unsigned char>(c) & 0x80) != 0) {
      c = '?';
      *replaced = true;
    }
  }
  return safe;
}

}  // namespace

Result<toml::table> ParseToml(std::string_view text, std::string_view origin) {
  bool replaced = false;
  const std::string safe = WithoutNonAscii(text, &replaced);
  toml::parse_result parsed = toml::parse(safe, std::string(origin));
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return MakeError(ErrorKind::kInvalidInput,
                     std::string(origin) + ": line " + std::to_string(error.source().begin.line) +
                         ", column " + std::to_string(error.source().begin.column) + ": " +
                         std::string(error.description()) +
                         (replaced ? " (non-ASCII characters are read as '?')" : ""));
  }
  return std::move(parsed).table();
}

Result<std::string> StringField(TomlView node, std::string_view what) {
  if (!node) return std::string();
  if (const auto* value = node.as_string()) return value->get();
  return WrongType(what, "a string");
}

Result<bool> BoolField(TomlView node, std::string_view what, bool fallback) {
  if (!node) return fallback;
  if (const auto* value = node.as_boolean()) return value->get();
  return WrongType(what, "true or false");
}

Result<long> IntField(TomlView node, std::string_view what, long fallback) {
  if (!node) return fallback;
  if (const auto* value = node.as_integer()) return static_cast<long>(value->get());
  return WrongType(what, "an integer");
}

Result<std::vector<std::string>> StringListField(TomlView node, std::string_view what) {
  std::vector<std::string> list;
  if (!node) return list;
  if (const auto* single = node.as_string()) {
    list.push_back(single->get());
    return list;
  }
  const auto* array = node.as_array();
  if (array == nullptr) return WrongType(what, "an array of strings");
  for (const toml::node& element : *array) {
    const auto* value = element.as_string();
    if (value == nullptr) return WrongType(what, "an array of strings");
    list.push_back(value->get());
  }
  return list;
}

std::string ToTomlText(const toml::table& table) {
  std::ostringstream out;
  // Only plain basic strings (literal and multi-line ones do not round-trip every value), with
  // non-ASCII characters escaped, so what ParseToml reads back is exactly what was written.
  out << toml::toml_formatter(table, toml::toml_formatter::default_flags &
                                         ~toml::format_flags::indentation &
                                         ~toml::format_flags::allow_literal_strings &
                                         ~toml::format_flags::allow_multi_line_strings &
                                         ~toml::format_flags::allow_unicode_strings);
  std::string text = out.str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

}  // namespace bp
