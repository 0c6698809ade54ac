// The one translation unit that compiles toml++'s implementation (the others use its headers
// only), which keeps builds fast and lets the executables link statically.
#define TOML_IMPLEMENTATION
#include "base/toml.h"

#define BP_STRINGIFY_(x) #x
#define BP_STRINGIFY(x) BP_STRINGIFY_(x)

// Present exactly when toml++ is linked into an executable: base/linked_components.cc reports it.
extern "C" const char* bp_linked_tomlplusplus_version(void) {
  return BP_STRINGIFY(TOML_LIB_MAJOR) "." BP_STRINGIFY(TOML_LIB_MINOR) "." BP_STRINGIFY(
      TOML_LIB_PATCH);
}
