// Where this checkout's shipped files are (buildpack.toml, README.md), for tests that read them.
#pragma once

#include <filesystem>

namespace bp::testing {

// The repository root. It is compiled into source_dir.cc alone, so the other test files' compile
// commands are the same in every clone and ccache serves them to the next clone on the machine.
std::filesystem::path SourceDir();

}  // namespace bp::testing
