#include "base/toml_fields.h"

#include <sstream>

namespace bp {

namespace {

Error WrongType(std::string_view what, std::string_view expected) {
  return MakeError(ErrorKind::kInvalidInput, std::string(what) + " must be " + std::string(expected));
}

// Returns the line of the first non-ASCII byte outside a single-line string or comment, or 0.
// A quote opens a string only where a key or value may start (after a line break, =, [, {, ,
// or .); elsewhere it is part of a malformed bare value, which toml++ scans character by character.
size_t UnsafeNonAsciiLine(std::string_view text) {
  enum class State { kCode, kBasic, kLiteral, kComment, kMultiLine };
  State state = State::kCode;
  bool token_start = true;
  size_t line = 1;
  auto three_quotes = [&](size_t i) {
    return text.compare(i, 3, R"(""")") == 0 || text.compare(i, 3, "'''") == 0;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    const bool non_ascii = (static_cast<unsigned char>(c) & 0x80) != 0;
    switch (state) {
      case State::kCode:
        if (non_ascii) return line;
        if (token_start && three_quotes(i)) {
          state = State::kMultiLine;  // closed by three quotes again
          i += 2;
        } else if (token_start && (c == '"' || c == '\'')) {
          state = c == '"' ? State::kBasic : State::kLiteral;
        } else if (c == '#') {
          state = State::kComment;
        } else if (c == '\n' || c == '=' || c == '[' || c == '{' || c == ',' || c == '.') {
          token_start = true;
        } else if (c != ' ' && c != '\t' && c != '\r') {
          token_start = false;
        }
        break;
      case State::kBasic:
        if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n') {
          ++i;
        } else if (c == '"' || c == '\n') {
          state = State::kCode;
          token_start = c == '\n';
        }
        break;
      case State::kLiteral:
        if (c == '\'' || c == '\n') {
          state = State::kCode;
          token_start = c == '\n';
        }
        break;
      case State::kComment:
        if (c == '\n') {
          state = State::kCode;
          token_start = true;
        }
        break;
      case State::kMultiLine:
        if (non_ascii) return line;
        if (three_quotes(i)) {
          state = State::kCode;
          token_start = false;
          i += 2;
        }
        break;
    }
  }
  return 0;
}

}  // namespace

Result<toml::table> ParseToml(std::string_view text, std::string_view origin) {
  if (const size_t line = UnsafeNonAsciiLine(text)) {
    return MakeError(ErrorKind::kInvalidInput, std::string(origin) + ": line " + std::to_string(line) +
                                                   ": non-ASCII text outside a single-line string or comment");
  }
  toml::parse_result parsed = toml::parse(text, std::string(origin));
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return MakeError(ErrorKind::kInvalidInput,
                     std::string(origin) + ": line " + std::to_string(error.source().begin.line) +
                         ", column " + std::to_string(error.source().begin.column) + ": " +
                         std::string(error.description()));
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
  // Only plain basic strings: literal and multi-line ones do not round-trip every value.
  out << toml::toml_formatter(table, toml::toml_formatter::default_flags & ~toml::format_flags::indentation &
                                         ~toml::format_flags::allow_literal_strings &
                                         ~toml::format_flags::allow_multi_line_strings);
  std::string text = out.str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

}  // namespace bp
