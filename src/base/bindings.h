// Service bindings in the servicebinding.io layout: <root>/<name>/ holds one file per entry,
// and the mandatory `type` entry says what the binding is. Kubernetes projects these through
// `..data` symlinks, so dotfiles are skipped, symlinks followed and values trimmed.
// https://github.com/servicebinding/spec#workload-projection
// Only the bindings this buildpack uses (etcd, by `type` or by a file-based binding's `tags` or
// `label`; dependency-mapping; dependency-mirror) have entries read, and only the entries it needs
// (etcd: endpoints, uris, uri, host, port, namespace, provider; a mapping's sha256 keys; every
// entry of a mirror); any other binding is identified by its `type`, `tags`, `label` and names
// alone (read leniently), so a 2 MiB ca-certificates bundle or another service's unreadable
// secret never matters here.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/result.h"

namespace bp {

namespace fs = std::filesystem;

struct Binding {
  std::string name;  // the directory name
  std::string type;  // lowercase
  std::string provider;
  fs::path directory;
  std::map<std::string, std::string> entries;  // the entries read (see above), trimmed
  std::set<std::string> present;               // every entry file but type/provider, read or not

  // Returns the trimmed value of the first of `names` that is present.
  std::optional<std::string> Entry(std::initializer_list<const char*> names) const;
  // Returns the path of the first of `names` that is present (read or not).
  std::optional<fs::path> EntryPath(std::initializer_list<const char*> names) const;
};

// True for an etcd binding: `type` etcd (servicebinding.io), or a Cloud Foundry file-based binding
// (CF RFC-0030: `type` is the offering's label or "user-provided") whose `tags` entry, a JSON
// array, holds "etcd", or whose `label` entry contains "etcd" (both case-insensitive).
bool IsEtcdBinding(const Binding& binding);

// Returns the strings of a binding entry that holds a JSON array of strings (`tags`,
// `endpoints`), nullopt when the value is not one.
std::optional<std::vector<std::string>> JsonStringArray(const std::string& value);

// Returns the bindings under `root`, sorted by name. A missing root means no bindings;
// directories without a readable `type` entry (e.g. the deprecated CNB layout) are ignored. An
// entry that is read but unreadable (a FIFO, too large) is an error naming its file.
Result<std::vector<Binding>> ReadBindings(const fs::path& root);

// Returns the bindings visible to a build: $SERVICE_BINDING_ROOT, else <platform>/bindings.
Result<std::vector<Binding>> ReadBuildBindings(const Env& env, const fs::path& platform_dir);

}  // namespace bp
