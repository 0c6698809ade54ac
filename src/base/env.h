// Env: a value snapshot of environment variables. Only the executables' main() reads `environ`;
// everything else receives an Env, so tests pass any environment they like.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace bp {

namespace fs = std::filesystem;

class Env {
 public:
  Env() = default;
  explicit Env(std::map<std::string, std::string, std::less<>> vars) : vars_(std::move(vars)) {}

  // Returns a snapshot of a NULL-terminated "NAME=value" array such as `environ`.
  static Env FromEnviron(char** environ);

  // Returns the value of `name`, or nullopt when it is unset.
  std::optional<std::string> Get(std::string_view name) const;
  // Returns the trimmed value of `name`, or nullopt when it is unset or blank.
  std::optional<std::string> GetSetting(std::string_view name) const;
  std::string GetOr(std::string_view name, std::string_view fallback) const;

  void Set(std::string_view name, std::string_view value);
  void Unset(std::string_view name);

  const std::map<std::string, std::string, std::less<>>& vars() const { return vars_; }
  // Returns "NAME=value" strings, for execve.
  std::vector<std::string> ToStrings() const;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

// Returns `env` overlaid with the files in <platform>/env: each file NAME holds the value of NAME
// (one trailing newline is dropped, since `echo value > NAME` is how people write them).
// A missing env directory means no overrides.
Result<Env> OverlayPlatformEnv(const Env& env, const fs::path& platform_dir);

}  // namespace bp
