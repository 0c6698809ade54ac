#include "base/env.h"

#include <system_error>

#include "base/files.h"
#include "base/strings.h"

namespace bp {

Env Env::FromEnviron(char** environ) {
  Env env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const size_t eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    env.vars_.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return env;
}

std::optional<std::string> Env::Get(std::string_view name) const {
  const auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Env::GetSetting(std::string_view name) const {
  const auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  const std::string_view value = Trim(it->second);
  if (value.empty()) return std::nullopt;
  return std::string(value);
}

std::string Env::GetOr(std::string_view name, std::string_view fallback) const {
  const auto it = vars_.find(name);
  return it == vars_.end() ? std::string(fallback) : it->second;
}

void Env::Set(std::string_view name, std::string_view value) {
  vars_[std::string(name)] = std::string(value);
}

void Env::Unset(std::string_view name) {
  const auto it = vars_.find(name);
  if (it != vars_.end()) vars_.erase(it);
}

std::vector<std::string> Env::ToStrings() const {
  std::vector<std::string> out;
  out.reserve(vars_.size());
  for (const auto& [name, value] : vars_) out.push_back(name + "=" + value);
  return out;
}

Result<Env> OverlayPlatformEnv(const Env& env, const fs::path& platform_dir) {
  Env merged = env;
  const fs::path env_dir = platform_dir / "env";
  std::error_code ec;
  if (!fs::is_directory(env_dir, ec)) return merged;
  for (fs::directory_iterator it(env_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    Result<std::string> value = ReadSmallFile(it->path(), kMaxSettingBytes);
    if (!value.ok()) return value.error().Wrap("reading platform setting");
    std::string text = std::move(value).value();
    if (EndsWith(text, "\r\n")) {
      text.resize(text.size() - 2);
    } else if (EndsWith(text, "\n")) {
      text.pop_back();
    }
    merged.Set(it->path().filename().string(), text);
  }
  if (ec) {
    return MakeError(ErrorKind::kIo, "cannot list " + env_dir.string() + ": " + ec.message());
  }
  return merged;
}

}  // namespace bp
