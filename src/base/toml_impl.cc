// The one translation unit that compiles toml++'s implementation (the others use its headers
// only), which keeps builds fast and lets the executables link statically.
#define TOML_IMPLEMENTATION
#include "base/toml.h"
