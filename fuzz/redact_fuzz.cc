// Fuzzes RedactUrl (base/url.h) for its one promise: redacting never reveals a byte of the
// password. The input's lines are a prefix, a password and a suffix; the fuzzed value is
// prefix ":" password "@" suffix, with every byte of the password removed from the prefix and
// suffix (and their lowercase), so any password byte in the output can only have leaked. The
// whole input is also redacted on its own: the output never holds a control character, and an
// '@' survives only as the "***@" that replaces userinfo.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/url.h"
#include "fuzz_util.h"

namespace {

std::string Without(std::string_view text, std::string_view banned) {
  std::string kept;
  for (char c : text) {
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (banned.find(c) == std::string_view::npos && banned.find(lower) == std::string_view::npos)
      kept += c;
  }
  return kept;
}

void RemoveAll(std::string& text, std::string_view token) {
  for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at))
    text.erase(at, token.size());
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

void CheckPrintable(const std::string& shown) {
  for (char c : shown) {
    const auto byte = static_cast<unsigned char>(c);
    BP_FUZZ_CHECK(byte >= 0x20 && byte < 0x7f,
                  "RedactUrl printed a control or non-ASCII byte: " + shown);
  }
}

void CheckAtSigns(const std::string& shown) {
  if (shown == bp::kRedactedValue) return;
  std::string rest = shown;
  RemoveAll(rest, "***@");
  BP_FUZZ_CHECK(rest.find('@') == std::string::npos,
                "RedactUrl kept an '@' outside \"***@\": " + shown);
}

void CheckNoPasswordByte(const std::string& input, const std::string& password) {
  const std::string shown = bp::RedactUrl(input);
  CheckPrintable(shown);
  CheckAtSigns(shown);
  std::string rest = shown;
  RemoveAll(rest, bp::kRedactedValue);
  RemoveAll(rest, "***@");
  RemoveAll(rest, "?***");
  RemoveAll(rest, "***");
  // Escapes (\xNN) stand for the byte they encode.
  std::string bytes;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '\\' && i + 3 < rest.size() && rest[i + 1] == 'x' &&
        HexValue(rest[i + 2]) >= 0 && HexValue(rest[i + 3]) >= 0) {
      bytes += static_cast<char>(HexValue(rest[i + 2]) * 16 + HexValue(rest[i + 3]));
      i += 3;
    } else {
      bytes += rest[i];
    }
  }
  for (char c : bytes) {
    BP_FUZZ_CHECK(
        password.find(c) == std::string::npos,
        "RedactUrl revealed password byte '" + std::string(1, c) + "' in \"" + shown + "\"");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = bp_fuzz::AsText(data, size);
  const std::string whole = bp::RedactUrl(text);
  CheckPrintable(whole);
  CheckAtSigns(whole);

  const size_t first = text.find('\n');
  if (first == std::string_view::npos) return 0;
  const size_t second = text.find('\n', first + 1);
  if (second == std::string_view::npos) return 0;
  const std::string password(text.substr(first + 1, second - first - 1));
  if (password.empty()) return 0;
  // The bytes the redactor writes itself ("***@", "?***", the placeholder) are told apart by
  // removing those tokens, so the password may use any byte, ':' and '@' included.
  const std::string prefix = Without(text.substr(0, first), password);
  const std::string suffix = Without(text.substr(second + 1), password);
  for (const std::string& scheme : {std::string(), std::string("https://")}) {
    const std::string scheme_kept = Without(scheme, password);
    if (scheme_kept != scheme) continue;
    // "x:" + "//…" makes the password's leading slashes the URL's own "//": syntax, not a secret.
    if (scheme.empty() && password.rfind("//", 0) == 0) continue;
    CheckNoPasswordByte(scheme + prefix + ":" + password + "@" + suffix, password);
  }
  return 0;
}
