// Small string helpers shared by the parsers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bp {

// Returns `text` without leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view text);

// Returns the pieces of `text` between `separator`s, trimmed; empty pieces are dropped.
std::vector<std::string> SplitList(std::string_view text, char separator);

std::string Join(const std::vector<std::string>& parts, std::string_view separator);
std::string ToLower(std::string_view text);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);

// Returns true for "true", false for "false" (any case, trimmed); nullopt otherwise.
std::optional<bool> ParseBool(std::string_view text);

// Returns the whole-number value of `text` when it is a plain non-negative decimal within `max`.
std::optional<long> ParseCount(std::string_view text, long max);

// Returns `text` with every byte a terminal could act on written as \xNN: ASCII control
// characters, DEL, and every non-ASCII byte (UTF-8 can encode C1 controls such as CSI).
std::string EscapeControl(std::string_view text);

// The one way to show a value the user typed in a message: escaped (EscapeControl), cut to
// `max` bytes (then "..."), in double quotes. Never pass a file's content: name the file.
std::string Quote(std::string_view value, size_t max = 64);

// Returns true when `text` is 64 lowercase hex digits.
bool IsSha256Hex(std::string_view text);

}  // namespace bp
