// The one way this project includes toml++ (Debian's 3.3.0).
//
// 3.3.0 asserts internal preconditions that malformed input can violate ("[\n", "a=[}]", …;
// fixed upstream in marzer/tomlplusplus#301). In the GCC release builds we ship, those asserts
// compile to nothing and the parser reports an ordinary parse error; here they are made to do
// the same in debug and sanitizer builds, so a bad file is an error value, never an abort.
// The other 3.3.0 defect (non-ASCII characters reaching __builtin_unreachable) is kept away by
// ParseToml in toml_fields.cc, which never hands the parser a non-ASCII byte.
#pragma once

#define TOML_ASSERT(expr) static_assert(true)
#include <toml++/toml.h>
