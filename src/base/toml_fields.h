// The toml++ adapter: parsing into a table and typed field access that reports a wrongly typed
// field as an error naming it (toml++'s value<T>() would silently give nullopt).
// toml++ is built with TOML_EXCEPTIONS=0, so nothing here throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/toml.h"

namespace bp {

using TomlView = toml::node_view<const toml::node>;

// Parses `text`; errors read "<origin>: line L, column C: <what is wrong>". Every non-ASCII byte
// reads as '?' (see toml_fields.cc): bare keys with such characters stay errors, and strings
// holding them read back with '?' in their place.
Result<toml::table> ParseToml(std::string_view text, std::string_view origin);

// Returns the string at `node`, or "" when absent; kInvalidInput naming `what` for other types.
Result<std::string> StringField(TomlView node, std::string_view what);

// Returns the boolean at `node`, or `fallback` when absent.
Result<bool> BoolField(TomlView node, std::string_view what, bool fallback);

// Returns the integer at `node`, or `fallback` when absent.
Result<long> IntField(TomlView node, std::string_view what, long fallback);

// Returns the array of strings at `node` (a lone string counts as one), or {} when absent.
Result<std::vector<std::string>> StringListField(TomlView node, std::string_view what);

// Returns `table` serialized as TOML text, ending with a newline. The contract covers what this
// buildpack writes: bare keys ([A-Za-z0-9_-]) and string, boolean and integer values (and arrays
// and tables of them); every such string reads back unchanged. Floats are outside it: toml++
// 3.3.0's formatter converts log10(inf) to an integer when sizing an array holding one.
std::string ToTomlText(const toml::table& table);

}  // namespace bp
