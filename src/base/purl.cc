#include "base/purl.h"

#include <algorithm>
#include <vector>

#include "base/strings.h"

namespace bp {

namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

bool IsUnencoded(char c) {
  return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '.' || c == '-' || c == '_' || c == '~' ||
         c == ':';
}

int HexValue(char c) {
  if (IsAsciiDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Returns `text` with each %XX decoded; nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> PurlPercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// Splits at every '/', keeping empty pieces (SplitList would trim spaces a segment may hold).
std::vector<std::string> SplitSegments(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t at = text.find('/', start);
    parts.emplace_back(
        text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

Error Invalid(std::string_view text, const std::string& why) {
  return MakeError(ErrorKind::kInvalidInput, "invalid purl \"" + std::string(text) + "\": " + why,
                   "write it as pkg:<type>/<name>@<version>?<key>=<percent-encoded value>");
}

// A type: ASCII letters, digits, '.' and '-', starting with a letter.
bool IsValidType(std::string_view type) {
  if (type.empty() || !IsAsciiAlpha(type.front())) return false;
  for (char c : type) {
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '.' && c != '-') return false;
  }
  return true;
}

// A qualifier key: lowercase ASCII letters, digits, '.', '-' and '_', starting with a letter.
bool IsValidKey(std::string_view key) {
  if (key.empty() || !IsAsciiAlpha(key.front())) return false;
  for (char c : key) {
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

// Decodes '/'-separated segments, dropping empty ones (and '.'/'..' where `drop_dots`).
std::optional<std::string> DecodeSegments(std::string_view text, bool drop_dots) {
  std::vector<std::string> kept;
  for (const std::string& raw : SplitSegments(text)) {
    std::optional<std::string> segment = PurlPercentDecode(raw);
    if (!segment || segment->find('/') != std::string::npos) return std::nullopt;
    if (segment->empty() || (drop_dots && (*segment == "." || *segment == ".."))) continue;
    kept.push_back(*segment);
  }
  return Join(kept, "/");
}

// Encodes decoded '/'-separated segments, dropping empty ones (and '.'/'..' where `drop_dots`).
std::string EncodeSegments(std::string_view text, bool drop_dots) {
  std::vector<std::string> encoded;
  for (const std::string& segment : SplitSegments(text)) {
    if (segment.empty()) continue;
    if (drop_dots && (segment == "." || segment == "..")) continue;
    encoded.push_back(PurlPercentEncode(segment));
  }
  return Join(encoded, "/");
}

// Splits `text` at the last `separator`: the part after it goes to `*tail` (empty when absent).
std::string_view CutRight(std::string_view text, char separator, std::string_view* tail) {
  const size_t at = text.rfind(separator);
  if (at == std::string_view::npos) {
    *tail = {};
    return text;
  }
  *tail = text.substr(at + 1);
  return text.substr(0, at);
}

// Skips "pkg:" (any case) and the slashes after it; false when `rest` does not start with it.
bool SkipScheme(std::string_view* rest) {
  const size_t colon = rest->find(':');
  if (colon == std::string_view::npos || ToLower(rest->substr(0, colon)) != "pkg") return false;
  rest->remove_prefix(colon + 1);
  while (!rest->empty() && rest->front() == '/') rest->remove_prefix(1);
  return true;
}

// Moves the type, up to the first '/' of `rest`, into `purl`.
Status TakeType(std::string_view original, std::string_view* rest, Purl* purl) {
  const size_t slash = rest->find('/');
  if (slash == std::string_view::npos) return Invalid(original, "no type/name");
  purl->type = ToLower(rest->substr(0, slash));
  if (!IsValidType(purl->type)) return Invalid(original, "bad type \"" + purl->type + "\"");
  rest->remove_prefix(slash + 1);
  return Ok();
}

// The components of a purl as written, still percent-encoded.
struct EncodedComponents {
  std::string_view namespace_;
  std::string_view name;
  std::string_view version;
  std::string_view subpath;
};

// Splits "namespace/name@version" (what follows the type): the version after the last '@', the
// name after the last '/' once trailing slashes are gone.
EncodedComponents SplitComponents(std::string_view rest, std::string_view subpath) {
  EncodedComponents parts;
  parts.subpath = subpath;
  rest = CutRight(rest, '@', &parts.version);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (const size_t last = rest.rfind('/'); last != std::string_view::npos) {
    parts.name = rest.substr(last + 1);
    parts.namespace_ = rest.substr(0, last);
  } else {
    parts.name = rest;
  }
  return parts;
}

Status DecodeComponents(std::string_view original, const EncodedComponents& parts, Purl* purl) {
  std::optional<std::string> name = PurlPercentDecode(parts.name);
  std::optional<std::string> version = PurlPercentDecode(parts.version);
  std::optional<std::string> namespace_ = DecodeSegments(parts.namespace_, false);
  std::optional<std::string> subpath = DecodeSegments(parts.subpath, true);
  if (!name || !version || !namespace_ || !subpath)
    return Invalid(original, "bad percent-encoding");
  if (name->empty()) return Invalid(original, "no name");
  purl->name = *name;
  purl->version = *version;
  purl->namespace_ = *namespace_;
  purl->subpath = *subpath;
  return Ok();
}

Status ParseQualifiers(std::string_view original, std::string_view text, Purl* purl) {
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('&', start), text.size());
    const std::string_view pair = text.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    if (equals == std::string_view::npos) return Invalid(original, "qualifier without '='");
    const std::string key = ToLower(pair.substr(0, equals));
    if (!IsValidKey(key)) return Invalid(original, "bad qualifier key \"" + key + "\"");
    std::optional<std::string> value = PurlPercentDecode(pair.substr(equals + 1));
    if (!value) return Invalid(original, "bad percent-encoding in qualifier " + key);
    if (purl->qualifiers.count(key) != 0)
      return Invalid(original, "qualifier " + key + " given twice");
    if (!value->empty()) purl->qualifiers[key] = *value;
  }
  return Ok();
}

}  // namespace

std::string PurlPercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (IsUnencoded(c)) {
      out += c;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
  }
  return out;
}

std::string Purl::ToString() const {
  std::string out = "pkg:" + ToLower(type) + "/";
  const std::string encoded_namespace = EncodeSegments(namespace_, false);
  if (!encoded_namespace.empty()) out += encoded_namespace + "/";
  out += PurlPercentEncode(name);
  if (!version.empty()) out += "@" + PurlPercentEncode(version);
  std::string separator = "?";
  for (const auto& [key, value] : qualifiers) {  // std::map keeps the keys sorted
    if (value.empty()) continue;
    out += separator + ToLower(key) + "=" + PurlPercentEncode(value);
    separator = "&";
  }
  const std::string encoded_subpath = EncodeSegments(subpath, true);
  if (!encoded_subpath.empty()) out += "#" + encoded_subpath;
  return out;
}

Result<Purl> ParsePurl(std::string_view text) {
  std::string_view subpath;
  std::string_view qualifiers;
  std::string_view rest = CutRight(CutRight(text, '#', &subpath), '?', &qualifiers);
  if (!SkipScheme(&rest)) return Invalid(text, "it must start with pkg:");
  Purl purl;
  if (Status typed = TakeType(text, &rest, &purl); !typed.ok()) return typed.error();
  Status decoded = DecodeComponents(text, SplitComponents(rest, subpath), &purl);
  if (!decoded.ok()) return decoded.error();
  if (Status parsed = ParseQualifiers(text, qualifiers, &purl); !parsed.ok()) return parsed.error();
  return purl;
}

Result<std::string> CanonicalPurl(std::string_view text) {
  Result<Purl> purl = ParsePurl(text);
  if (!purl.ok()) return purl.error();
  return purl.value().ToString();
}

}  // namespace bp
