// Ruby: the Gemfile's `gem "etcdv3"` lines and the DEPENDENCIES section of Gemfile.lock (the
// gems the Gemfile asked for; the GEM section also lists what they pulled in). The `etcd` gem
// speaks etcd's v2 API, which the v3 gRPC proxy does not serve, so it does not count.
#include "base/strings.h"
#include "manifests/manifest_text.h"
#include "manifests/parsers.h"

namespace bp::manifests {

namespace {

constexpr char kRubyClient[] = "etcdv3";

}  // namespace

std::optional<std::string> RubyClientInGemfile(std::string_view text) {
  for (std::string_view line : Lines(text)) {
    line = Trim(line);
    if (!StartsWith(line, "gem") || line.size() < 4 ||
        (line[3] != ' ' && line[3] != '\t' && line[3] != '('))
      continue;
    line = Trim(line.substr(4));
    const std::optional<std::string_view> name = ConsumeQuoted(line);
    if (name && *name == kRubyClient) return std::string(kRubyClient);
  }
  return std::nullopt;
}

std::optional<std::string> RubyClientInGemfileLock(std::string_view text) {
  bool in_dependencies = false;
  for (std::string_view line : Lines(text)) {
    if (!line.empty() && line[0] != ' ') {
      in_dependencies = line == "DEPENDENCIES";
      continue;
    }
    // "  etcdv3 (~> 0.11)" or "  etcdv3!" (from a git or path source); deeper lines are details.
    if (!in_dependencies || !StartsWith(line, "  ") || StartsWith(line, "   ")) continue;
    const std::string_view entry = line.substr(2);
    const std::string_view name = entry.substr(0, entry.find_first_of(" !"));
    if (name == kRubyClient) return std::string(kRubyClient);
  }
  return std::nullopt;
}

}  // namespace bp::manifests
