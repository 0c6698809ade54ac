// Package URLs (purl-spec, docs/specification/standard/specification.md): parsing, and the
// canonical form every purl the buildpack writes takes, with qualifier values percent-encoded
// ("download_url=https:%2F%2Fgithub.com%2F…"; the colon stays as it is, the spec says so).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bp {

struct Purl {
  std::string type;                               // lowercase, e.g. "generic"
  std::string namespace_;                         // '/'-separated segments, decoded; may be empty
  std::string name;                               // decoded, never empty
  std::string version;                            // decoded; may be empty
  std::map<std::string, std::string> qualifiers;  // lowercase keys, decoded non-empty values
  std::string subpath;                            // '/'-separated segments, decoded; may be empty

  // Returns the canonical text: components percent-encoded, qualifiers sorted by key.
  std::string ToString() const;
};

// Returns `text` with every byte outside A-Z a-z 0-9 . - _ ~ : written as %XX (uppercase hex).
std::string PurlPercentEncode(std::string_view text);

// Parses a purl as purl-spec's how-to-parse.md describes; kInvalidInput names what is wrong.
Result<Purl> ParsePurl(std::string_view text);

// Returns the canonical form of `text` (kInvalidInput when it is not a purl).
Result<std::string> CanonicalPurl(std::string_view text);

}  // namespace bp
