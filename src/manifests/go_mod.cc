// Go: go.mod `require` directives, single or in a block. A requirement marked `// indirect` is
// another module's dependency, not the app's (Kubernetes libraries pull in the etcd client that
// way), so it does not count; replace, exclude and retract name no dependency.
#include <array>

#include "base/strings.h"
#include "manifests/manifest_text.h"
#include "manifests/parsers.h"

namespace bp::manifests {

namespace {

// The v3 client module, and the pre-3.5 whole-repository modules whose clientv3 package it was.
constexpr std::array<const char*, 3> kGoClients = {"go.etcd.io/etcd/client/v3", "go.etcd.io/etcd",
                                                   "github.com/coreos/etcd"};

// The first word of `text` (a module path may be quoted), "" when there is none.
std::string FirstWord(std::string_view text) {
  text = Trim(text);
  if (std::optional<std::string_view> quoted = ConsumeQuoted(text)) return std::string(*quoted);
  if (!text.empty() && text[0] == '`') {
    const size_t close = text.find('`', 1);
    return close == std::string_view::npos ? std::string() : std::string(text.substr(1, close - 1));
  }
  return std::string(text.substr(0, text.find_first_of(" \t")));
}

std::optional<std::string> ClientRequired(std::string_view spec, std::string_view comment) {
  if (StartsWith(Trim(comment), "indirect")) return std::nullopt;
  const std::string module = FirstWord(spec);
  for (const char* client : kGoClients) {
    if (module == client) return module;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> GoClientInGoMod(std::string_view text) {
  enum class Block { kNone, kRequire, kOther } block = Block::kNone;
  std::optional<std::string> found;
  for (std::string_view line : Lines(text)) {
    const size_t comment_at = line.find("//");
    const std::string_view comment =
        comment_at == std::string_view::npos ? "" : line.substr(comment_at + 2);
    const std::string_view code = Trim(line.substr(0, comment_at));
    if (code.empty()) continue;
    if (block != Block::kNone) {
      if (code == ")") {
        block = Block::kNone;
      } else if (block == Block::kRequire && !found) {
        found = ClientRequired(code, comment);
      }
      continue;
    }
    const std::string verb = FirstWord(code);
    const std::string_view rest = Trim(code.substr(verb.size()));
    if (rest == "(") {
      block = verb == "require" ? Block::kRequire : Block::kOther;
    } else if (verb == "require" && !found) {
      found = ClientRequired(rest, comment);
    }
  }
  if (block != Block::kNone)
    return std::nullopt;  // an unclosed block: not a go.mod the go tool reads
  return found;
}

}  // namespace bp::manifests
