#include "base/settings.h"

#include <cctype>

#include "base/address.h"
#include "base/strings.h"
#include "base/url.h"

namespace bp {

Error InvalidSetting(std::string_view name, std::string_view value, std::string_view what,
                     std::string_view accepted) {
  return MakeError(ErrorKind::kInvalidInput,
                   std::string(name) + "=" + Quote(value) + " is not " + std::string(what),
                   "set " + std::string(name) + " to " + std::string(accepted));
}

std::optional<std::string> Read(const Env& env, const TextSetting& setting) {
  return env.GetSetting(setting.name);
}

Result<std::optional<bool>> ReadOptional(const Env& env, const BoolSetting& setting) {
  const std::optional<std::string> text = env.GetSetting(setting.name);
  if (!text) return std::optional<bool>();
  const std::optional<bool> value = ParseBool(*text);
  if (!value) return InvalidSetting(setting.name, *text, "true or false", "true or false");
  return value;
}

Result<bool> Read(const Env& env, const BoolSetting& setting) {
  Result<std::optional<bool>> value = ReadOptional(env, setting);
  if (!value.ok()) return value.error();
  return value.value().value_or(setting.fallback);
}

Result<long> Read(const Env& env, const IntegerSetting& setting) {
  Result<std::optional<long>> value = ReadOptional(env, setting);
  if (!value.ok()) return value.error();
  return value.value().value_or(setting.fallback);
}

Result<std::optional<long>> ReadOptional(const Env& env, const IntegerSetting& setting) {
  const std::optional<std::string> text = env.GetSetting(setting.name);
  if (!text) return std::optional<long>();
  std::string digits = ToLower(*text);
  if (!setting.unit.empty()) {
    const std::string unit = ToLower(setting.unit);
    if (EndsWith(digits, unit)) {
      digits.resize(digits.size() - unit.size());
    } else if (EndsWith(digits, unit.substr(0, 1))) {
      digits.resize(digits.size() - 1);
    }
  }
  const std::optional<long> value = ParseCount(digits, setting.max);
  if (!value || *value < setting.min) {
    const std::string range = std::to_string(setting.min) + " to " + std::to_string(setting.max);
    const std::string unit = setting.unit.empty() ? "" : " (" + std::string(setting.unit) + ")";
    const long example = setting.fallback >= setting.min ? setting.fallback : setting.min;
    return InvalidSetting(
        setting.name, *text, "a whole number from " + range + unit,
        "a whole number from " + range + unit + ", e.g. " + std::to_string(example));
  }
  return value;
}

Result<std::chrono::seconds> Read(const Env& env, const DurationSetting& setting) {
  const std::optional<std::string> text = env.GetSetting(setting.name);
  if (!text) return setting.fallback;
  const std::optional<long> value = ParseCount(*text, setting.max.count());
  if (!value || *value < setting.min.count()) {
    return InvalidSetting(setting.name, *text, "a number of seconds",
                          "a whole number from " + std::to_string(setting.min.count()) + " to " +
                              std::to_string(setting.max.count()));
  }
  return std::chrono::seconds(*value);
}

std::optional<std::string> NormalizeDuration(const std::string& text) {
  if (text.empty() || text.size() > 32) return std::nullopt;
  size_t i = 0;
  bool bare_number = true;
  while (i < text.size()) {
    const size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    }
    if (i == start || i - start > 12) return std::nullopt;
    const size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const std::string unit = text.substr(unit_start, i - unit_start);
    if (unit.empty()) {
      // Only a lone integer may go without a unit: it means seconds.
      if (start != 0 || i != text.size() || text.find('.') != std::string::npos)
        return std::nullopt;
      break;
    }
    bare_number = false;
    if (unit != "ns" && unit != "us" && unit != "ms" && unit != "s" && unit != "m" && unit != "h")
      return std::nullopt;
  }
  return bare_number ? text + "s" : text;
}

Result<std::optional<std::string>> Read(const Env& env, const GoDurationSetting& setting) {
  const std::optional<std::string> text = env.GetSetting(setting.name);
  if (!text) return std::optional<std::string>();
  std::optional<std::string> duration = NormalizeDuration(*text);
  if (!duration) {
    return InvalidSetting(setting.name, *text, "a duration",
                          "seconds (30) or a Go duration such as 30s, 1m30s or 500ms");
  }
  return duration;
}

Result<std::optional<ListenAddress>> Read(const Env& env, const AddressSetting& setting) {
  const std::optional<std::string> text = env.GetSetting(setting.name);
  if (!text) return std::optional<ListenAddress>();
  Result<Address> address = ParseListenAddress(*text);  // the strict parser (base/address.h)
  if (!address.ok()) {
    // Redacted: a URL typed here may carry credentials.
    return MakeError(
        ErrorKind::kInvalidInput,
        std::string(setting.name) + "=" + Quote(RedactUrl(*text)) + " " + address.error().message,
        "set " + std::string(setting.name) + " to host:port, for example 127.0.0.1:2379");
  }
  return std::optional<ListenAddress>(ListenAddress{*text, address.value()});
}

std::optional<std::vector<std::string>> Read(const Env& env, const ListSetting& setting) {
  const std::optional<std::string> text = env.GetSetting(setting.name);
  if (!text) return std::nullopt;
  return SplitList(*text, ',');
}

}  // namespace bp
