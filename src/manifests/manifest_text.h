// Text helpers the manifest readers share: lines and quoted literals, read the same way whatever
// the line endings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/toml.h"

namespace bp::manifests {

// Returns `text` without a leading UTF-8 byte-order mark (EF BB BF), which Windows editors write
// and every ecosystem's own tools skip.
std::string_view WithoutByteOrderMark(std::string_view text);

// Returns the lines of `text` without their "\n" or "\r\n".
std::vector<std::string_view> Lines(std::string_view text);

// Returns the literal that starts at `text[0]` (a ' or " quote) up to its closing quote, and
// advances `text` past it; nullopt when `text` does not start with a closed literal.
std::optional<std::string_view> ConsumeQuoted(std::string_view& text);

// Returns `text` parsed as TOML, nullopt when it is not valid TOML.
std::optional<toml::table> TomlOrNothing(std::string_view text);

// Returns the string at `node`, "" when it is absent or not a string.
std::string TomlString(toml::node_view<const toml::node> node);

// True when `a` and `b` are equal ignoring ASCII case.
bool EqualsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace bp::manifests
