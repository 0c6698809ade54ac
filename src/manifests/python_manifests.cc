// Python: requirements files (pip's format), pyproject.toml (PEP 621, PEP 735, Poetry, PDM),
// Pipfile and setup.cfg. Names compare after PEP 503 normalisation ("ETCD3" is etcd3; "etcd3-fake"
// is another project). setup.py is code and is never read.
#include <array>

#include "base/strings.h"
#include "manifests/manifest_text.h"
#include "manifests/parsers.h"

namespace bp::manifests {

namespace {

constexpr std::array<const char*, 3> kPythonClients = {"etcd3", "aetcd", "etcd3gw"};

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

// PEP 503: lowercase, and every run of -, _ and . becomes one -.
std::string Normalized(std::string_view name) {
  std::string out;
  for (char c : name) {
    const bool separator = c == '-' || c == '_' || c == '.';
    if (!separator) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else if (out.empty() || out.back() != '-') {
      out += '-';
    }
  }
  return out;
}

std::optional<std::string> ClientNamed(std::string_view name) {
  const std::string normalized = Normalized(name);
  for (const char* client : kPythonClients) {
    if (normalized == client) return std::string(client);
  }
  return std::nullopt;
}

// The project a PEP 508 requirement names ("etcd3[x]>=0.12; python_version>'3'" → etcd3), when
// what follows the name is something a requirement may hold there (so "./etcd3" names nothing).
std::optional<std::string> ClientInRequirement(std::string_view requirement) {
  requirement = Trim(requirement);
  size_t end = 0;
  while (end < requirement.size() && IsNameChar(requirement[end])) ++end;
  if (end == 0) return std::nullopt;
  if (end < requirement.size() &&
      std::string_view(" \t[(<>=!~;@,").find(requirement[end]) == std::string_view::npos) {
    return std::nullopt;
  }
  return ClientNamed(requirement.substr(0, end));
}

// A pip line: `#` starts a comment only at the start or after whitespace (so URLs keep
// `#egg=`); options (-r, -e, --hash) name no project, except an editable/URL `#egg=name`.
std::optional<std::string> ClientInRequirementsLine(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      line = line.substr(0, i);
      break;
    }
  }
  line = Trim(line);
  if (const size_t egg = line.find("#egg="); egg != std::string_view::npos) {
    std::string_view name = line.substr(egg + 5);
    size_t end = 0;
    while (end < name.size() && IsNameChar(name[end])) ++end;
    return ClientNamed(name.substr(0, end));
  }
  if (line.empty() || line[0] == '-') return std::nullopt;
  return ClientInRequirement(line);
}

std::optional<std::string> ClientInRequirementArray(toml::node_view<const toml::node> node) {
  const toml::array* array = node.as_array();
  if (array == nullptr) return std::nullopt;
  for (const toml::node& item : *array) {
    const std::optional<std::string_view> requirement = item.value<std::string_view>();
    if (!requirement) continue;
    if (std::optional<std::string> client = ClientInRequirement(*requirement)) return client;
  }
  return std::nullopt;
}

// Every array in `node` (a table of groups, e.g. optional-dependencies) is a requirement list.
std::optional<std::string> ClientInRequirementGroups(toml::node_view<const toml::node> node) {
  const toml::table* groups = node.as_table();
  if (groups == nullptr) return std::nullopt;
  for (const auto& [group, list] : *groups) {
    if (std::optional<std::string> client =
            ClientInRequirementArray(toml::node_view<const toml::node>(list))) {
      return client;
    }
  }
  return std::nullopt;
}

// Poetry and Pipfile tables map project names to constraints.
std::optional<std::string> ClientInNameTable(toml::node_view<const toml::node> node) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return std::nullopt;
  for (const auto& entry : *table) {
    if (std::optional<std::string> client = ClientNamed(entry.first.str())) return client;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> PythonClientInRequirements(std::string_view text) {
  std::string logical;  // a line with its backslash continuations joined
  for (std::string_view line : Lines(text)) {
    if (!line.empty() && line.back() == '\\') {
      logical.append(line.substr(0, line.size() - 1));
      continue;
    }
    logical.append(line);
    if (std::optional<std::string> client = ClientInRequirementsLine(logical)) return client;
    logical.clear();
  }
  return ClientInRequirementsLine(logical);
}

std::optional<std::string> PythonClientInPyproject(std::string_view text) {
  const std::optional<toml::table> doc = TomlOrNothing(text);
  if (!doc) return std::nullopt;
  const auto root = toml::node_view<const toml::node>(*doc);
  const auto poetry = root["tool"]["poetry"];
  std::optional<std::string> client = ClientInRequirementArray(root["project"]["dependencies"]);
  if (!client) client = ClientInRequirementGroups(root["project"]["optional-dependencies"]);
  if (!client) client = ClientInRequirementGroups(root["dependency-groups"]);
  if (!client) client = ClientInRequirementGroups(root["tool"]["pdm"]["dev-dependencies"]);
  if (!client) client = ClientInNameTable(poetry["dependencies"]);
  if (!client) client = ClientInNameTable(poetry["dev-dependencies"]);
  if (const toml::table* groups = poetry["group"].as_table(); !client && groups != nullptr) {
    for (const auto& [name, group] : *groups) {
      client = ClientInNameTable(toml::node_view<const toml::node>(group)["dependencies"]);
      if (client) break;
    }
  }
  return client;
}

std::optional<std::string> PythonClientInPipfile(std::string_view text) {
  const std::optional<toml::table> doc = TomlOrNothing(text);
  if (!doc) return std::nullopt;
  const auto root = toml::node_view<const toml::node>(*doc);
  std::optional<std::string> client = ClientInNameTable(root["packages"]);
  if (!client) client = ClientInNameTable(root["dev-packages"]);
  return client;
}

// setup.cfg is INI (configparser): `[options]` install_requires and tests_require, and every key
// of `[options.extras_require]`, each a list of requirements one per line (or `;`-separated).
std::optional<std::string> PythonClientInSetupCfg(std::string_view text) {
  std::string section;
  bool in_requirements = false;
  for (std::string_view line : Lines(text)) {
    const std::string_view trimmed = Trim(line);
    if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';') continue;
    const bool continuation = line[0] == ' ' || line[0] == '\t';
    std::string_view value;
    if (!continuation && trimmed[0] == '[') {
      section = ToLower(Trim(trimmed.substr(1, trimmed.find(']') - 1)));
      in_requirements = false;
      continue;
    }
    if (!continuation) {
      const size_t separator = trimmed.find_first_of("=:");
      if (separator == std::string_view::npos) continue;
      const std::string key = ToLower(Trim(trimmed.substr(0, separator)));
      in_requirements =
          section == "options.extras_require" ||
          (section == "options" && (key == "install_requires" || key == "tests_require"));
      value = trimmed.substr(separator + 1);
    } else {
      value = trimmed;
    }
    if (!in_requirements) continue;
    for (const std::string& requirement : SplitList(value, ';')) {
      if (std::optional<std::string> client = ClientInRequirement(requirement)) return client;
    }
  }
  return std::nullopt;
}

}  // namespace bp::manifests
