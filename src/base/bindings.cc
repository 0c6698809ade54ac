#include "base/bindings.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <system_error>

#include "base/files.h"
#include "base/strings.h"

namespace bp {

namespace {

// Entries that say what a binding is (Cloud Foundry's file-based bindings carry `tags` and
// `label`) and what it is called. They are read from every binding, leniently: one that cannot be
// read (a FIFO, too large) only leaves the binding unidentified.
constexpr const char* kIdentityEntries[] = {"tags", "label", "name", "instance-name",
                                            "binding-name"};
constexpr size_t kMaxIdentityBytes = 64 * 1024;

bool IsIdentityEntry(const std::string& entry) {
  return std::find_if(std::begin(kIdentityEntries), std::end(kIdentityEntries),
                      [&](const char* name) { return entry == name; }) !=
         std::end(kIdentityEntries);
}

// True when entry `entry` of a binding of kind `type` is read (its value is needed); an etcd
// binding (IsEtcdBinding, whatever its `type`) is of kind "etcd".
bool BindingEntryIsRead(const std::string& type, const std::string& entry) {
  if (type == "etcd") {
    for (const char* name : {"endpoints", "uris", "uri", "host", "port", "namespace", "provider"}) {
      if (entry == name) return true;
    }
    return false;
  }
  if (type == "dependency-mapping") return IsSha256Hex(entry);  // the key is the artifact's sha256
  return type == "dependency-mirror";  // every entry names a host or "default"
}

// Reads one binding directory; nullopt when it has no readable `type` (not a binding we can use).
Result<std::optional<Binding>> ReadBinding(const fs::path& dir) {
  Result<std::string> type = ReadSmallFile(dir / "type", 256);  // refuses a missing or odd file
  if (!type.ok()) return std::optional<Binding>();
  std::error_code ec;
  Binding binding;
  binding.name = dir.filename().string();
  binding.directory = dir;
  binding.type = ToLower(Trim(type.value()));
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    if (StartsWith(entry, ".") || entry == "type") continue;  // ..data, ..2024_01_01, dotfiles
    std::error_code ignored;
    if (!fs::exists(it->path(), ignored)) continue;  // a dangling link: not an entry
    names.push_back(entry);
    if (!IsIdentityEntry(entry)) continue;
    if (Result<std::string> value = ReadSmallFile(it->path(), kMaxIdentityBytes); value.ok()) {
      binding.entries[entry] = std::string(Trim(value.value()));
    }
  }
  if (ec)
    return MakeError(ErrorKind::kIo,
                     "cannot list binding " + EscapeControl(dir.string()) + ": " + ec.message());
  // Only now is it known what the binding is, and so which entries the buildpack needs.
  const std::string kind = IsEtcdBinding(binding) ? "etcd" : binding.type;
  for (const std::string& entry : names) {
    if (!IsIdentityEntry(entry) && entry != "provider") binding.present.insert(entry);
    if (IsIdentityEntry(entry) || !BindingEntryIsRead(kind, entry)) continue;
    Result<std::string> value = ReadSmallFile(dir / entry, kMaxSettingBytes);
    if (!value.ok()) return value.error().Wrap("binding '" + EscapeControl(binding.name) + "'");
    const std::string trimmed(Trim(value.value()));
    if (entry == "provider") {
      binding.provider = trimmed;
    } else {
      binding.entries[entry] = trimmed;
    }
  }
  return std::optional<Binding>(std::move(binding));
}

}  // namespace

std::optional<std::string> Binding::Entry(std::initializer_list<const char*> keys) const {
  for (const char* key : keys) {
    const auto it = entries.find(key);
    if (it != entries.end()) return it->second;
  }
  return std::nullopt;
}

std::optional<fs::path> Binding::EntryPath(std::initializer_list<const char*> keys) const {
  for (const char* key : keys) {
    if (present.count(key) > 0 || entries.count(key) > 0) return directory / key;
  }
  return std::nullopt;
}

bool IsEtcdBinding(const Binding& binding) {
  if (binding.type == "etcd") return true;
  if (std::optional<std::string> tags = binding.Entry({"tags"})) {
    for (const std::string& tag : JsonStringArray(*tags).value_or(std::vector<std::string>())) {
      if (ToLower(Trim(tag)) == "etcd") return true;
    }
  }
  const std::optional<std::string> label = binding.Entry({"label"});
  return label && ToLower(*label).find("etcd") != std::string::npos;
}

std::optional<std::vector<std::string>> JsonStringArray(const std::string& value) {
  const nlohmann::json doc = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_array()) return std::nullopt;
  std::vector<std::string> items;
  for (const nlohmann::json& item : doc) {
    if (!item.is_string()) return std::nullopt;
    items.push_back(item.get<std::string>());
  }
  return items;
}

Result<std::vector<Binding>> ReadBindings(const fs::path& root) {
  std::vector<Binding> bindings;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return bindings;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (StartsWith(it->path().filename().string(), ".")) continue;
    if (!fs::is_directory(it->path(), ec)) continue;
    Result<std::optional<Binding>> binding = ReadBinding(it->path());
    if (!binding.ok()) return binding.error();
    if (binding.value()) bindings.push_back(std::move(*binding.value()));
  }
  if (ec)
    return MakeError(ErrorKind::kIo,
                     "cannot list bindings in " + root.string() + ": " + ec.message());
  std::sort(bindings.begin(), bindings.end(),
            [](const Binding& a, const Binding& b) { return a.name < b.name; });
  return bindings;
}

Result<std::vector<Binding>> ReadBuildBindings(const Env& env, const fs::path& platform_dir) {
  if (std::optional<std::string> root = env.GetSetting("SERVICE_BINDING_ROOT"))
    return ReadBindings(*root);
  if (platform_dir.empty()) return std::vector<Binding>();
  return ReadBindings(platform_dir / "bindings");
}

}  // namespace bp
