#include "testing/source_dir.h"

namespace bp::testing {

std::filesystem::path SourceDir() { return BP_SOURCE_DIR; }

}  // namespace bp::testing
