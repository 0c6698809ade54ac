// What the launch helper's static executable contains: each library linked into it, with the
// version that library reports about itself (its own version call, or for header-only libraries
// the version macros compiled in). `etcd-proxy components` prints this as JSON and bin/build turns
// it into the helper layer's SBOMs, so the SBOM follows the build, not a hand-kept list.
//
// Which libraries are listed is decided by the linker: each probe is a weak reference (see
// linked_components.cc), which never pulls a library in, so a library appears exactly when the
// executable links it for its own use.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bp {

struct LinkedComponent {
  std::string name;     // "openssl"
  std::string version;  // "3.0.17", as the library reports it
  std::string license;  // SPDX licence identifier
  std::string purl;     // canonical purl
  std::string cpe;      // CPE 2.3, empty when the library has none
};

// Returns the libraries linked into the running executable, in a fixed order.
std::vector<LinkedComponent> LinkedComponents();

// Returns `components` as {"components": [{name, version, license, purl, cpe}, …]}.
std::string LinkedComponentsJson(const std::vector<LinkedComponent>& components);

// Parses LinkedComponentsJson's output; kInvalidInput when it is not that shape.
Result<std::vector<LinkedComponent>> ParseLinkedComponentsJson(std::string_view text);

}  // namespace bp
