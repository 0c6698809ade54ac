// The helper layer's SBOM: the launch helper executable and the libraries statically linked into
// it. Scanners cannot see inside a static executable, so the helper reports its own contents
// (`etcd-proxy components`, see base/linked_components.h) and the build writes them down when it
// installs the helper layer. bin/build runs the helper beside it in bin/: both are built for the
// same architecture.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/linked_components.h"
#include "base/result.h"
#include "cnb/sbom.h"
#include "dependency/buildpack_toml.h"

namespace bp {

namespace fs = std::filesystem;

// Runs `<helper> components` (at most 20 s) and returns what it reports. kUnavailable when this
// machine cannot run the helper (e.g. user-mode emulation); other errors when it fails or
// prints something else.
Result<std::vector<LinkedComponent>> ListHelperComponents(const fs::path& helper);

// Returns the document for the helper whose file digest is `helper_sha256`, linking
// `components`, as shipped by the buildpack `descriptor`.
SbomDocument HelperSbom(const std::vector<LinkedComponent>& components,
                        const std::string& helper_sha256, const BuildpackDescriptor& descriptor,
                        std::string_view tool);

}  // namespace bp
