// Exit codes. Only the executables' main() turns outcomes into these.
#pragma once

namespace bp {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;         // build, supply and helper failures; detect errors
inline constexpr int kExitDetectFail = 100;  // detect: this buildpack does not apply

}  // namespace bp
