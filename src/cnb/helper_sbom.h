// The helper layer's SBOM: the launch helper executable and the libraries statically linked into
// it. Scanners cannot see inside a static executable, so the helper reports its own contents
// (`etcd-proxy components`, see base/linked_components.h) and the build writes them down.
// bin/build runs the helper beside it in bin/: both are built for the same architecture.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.h"
#include "cnb/sbom.h"
#include "dependency/buildpack_toml.h"

namespace bp {

namespace fs = std::filesystem;

// Returns the document for the helper at `helper` (whose file digest is `helper_sha256`), as
// shipped by the buildpack `descriptor`. Errors when the helper cannot list what it contains.
Result<SbomDocument> HelperSbom(const fs::path& helper, const std::string& helper_sha256,
                                const BuildpackDescriptor& descriptor, std::string_view tool);

}  // namespace bp
