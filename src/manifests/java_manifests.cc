// Java: Maven's pom.xml, Gradle build scripts (Groovy or Kotlin) and Gradle version catalogs.
// Only io.etcd:jetcd-core counts: jetcd-launcher and jetcd-test start an etcd server for tests.
// A Maven <exclusion> or a Gradle `exclude group:, module:` removes the client and so is not
// evidence; neither are a plugin's own dependencies. Properties (${...}) are not resolved.
#include <algorithm>
#include <cctype>

#include "base/strings.h"
#include "manifests/manifest_text.h"
#include "manifests/parsers.h"
#include "manifests/xml_scan.h"

namespace bp::manifests {

namespace {

constexpr char kGroup[] = "io.etcd";
constexpr char kArtifact[] = "jetcd-core";
constexpr char kCoordinates[] = "io.etcd:jetcd-core";

bool IsCoordinates(std::string_view text) {
  return text == kCoordinates || StartsWith(text, std::string(kCoordinates) + ":");
}

bool InsidePlugin(const XmlPath& path) {
  for (std::string_view name : path) {
    if (name == "plugin") return true;
  }
  return false;
}

// The Groovy/Kotlin lexer's view of a build script: string literals, the word or symbol before
// each, with comments removed. Enough to see 'io.etcd:jetcd-core:0.8' and the map form
// group: 'io.etcd', name: 'jetcd-core' (both keys within one argument list).
class GradleScanner {
 public:
  explicit GradleScanner(std::string_view text) : text_(text) {}

  bool FoundClient() {
    while (!text_.empty()) {
      if (StartsWith(text_, "//")) {
        text_.remove_prefix(std::min(text_.size(), text_.find('\n')));
      } else if (StartsWith(text_, "/*")) {
        const size_t close = text_.find("*/", 2);
        if (close == std::string_view::npos) return false;
        text_.remove_prefix(close + 2);
      } else if (text_[0] == '"' || text_[0] == '\'') {
        const std::optional<std::string> literal = ConsumeLiteral();
        if (!literal) return false;
        continued_ = false;
        if (IsCoordinates(*literal)) return true;
        if (key_ == "group") group_ = *literal;
        if (key_ == "name") name_ = *literal;
        if (group_ == kGroup && name_ == kArtifact) return true;
        key_.clear();
      } else {
        ConsumeOther();
      }
    }
    return false;
  }

 private:
  // A '...' or "..." literal, or a triple-quoted one; escapes are kept as written.
  std::optional<std::string> ConsumeLiteral() {
    const std::string quote = StartsWith(text_, std::string(3, text_[0]))
                                  ? std::string(3, text_[0])
                                  : std::string(1, text_[0]);
    size_t at = quote.size();
    while (true) {
      at = text_.find_first_of(std::string("\\\n") + quote[0], at);
      if (at == std::string_view::npos) return std::nullopt;
      if (text_[at] == '\\') {
        at += 2;
      } else if (text_[at] == '\n' && quote.size() == 1) {
        return std::nullopt;
      } else if (text_.compare(at, quote.size(), quote) == 0) {
        break;
      } else {
        ++at;
      }
    }
    std::string literal(text_.substr(quote.size(), at - quote.size()));
    text_.remove_prefix(at + quote.size());
    return literal;
  }

  void ConsumeOther() {
    const char c = text_[0];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
      size_t end = 0;
      while (end < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_'))
        ++end;
      word_ = std::string(text_.substr(0, end));
      text_.remove_prefix(end);
      continued_ = false;
      return;
    }
    if ((c == ':' || c == '=') && !word_.empty()) key_ = word_;
    if (c == ')' || c == ';' || c == '{' || c == '}' || (c == '\n' && !continued_))
      group_.clear(), name_.clear();
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') continued_ = c == ',' || c == '(';
    if (c != ':' && c != '=' && c != ' ' && c != '\t') word_.clear();
    text_.remove_prefix(1);
  }

  std::string_view text_;
  std::string word_;  // the identifier just read
  std::string key_;   // the identifier before the last ':' or '='
  std::string group_, name_;
  bool continued_ = false;  // the line so far ends with ',' or '(': the arguments go on
};

}  // namespace

std::optional<std::string> JavaClientInPom(std::string_view text) {
  std::string group, artifact, current;
  bool found = false;
  XmlVisitor visitor;
  visitor.start = [&](const XmlPath& path, const XmlAttributes&) {
    current.clear();
    if (path.back() == "dependency") group.clear(), artifact.clear();
  };
  visitor.text = [&](const XmlPath&, std::string_view chunk) { current.append(chunk); };
  visitor.end = [&](const XmlPath& path) {
    const bool in_dependency =
        path.size() >= 2 && path[path.size() - 2] == "dependency" && !InsidePlugin(path);
    if (in_dependency && path.back() == "groupId") group = std::string(Trim(current));
    if (in_dependency && path.back() == "artifactId") artifact = std::string(Trim(current));
    if (path.back() == "dependency" && !InsidePlugin(path) && group == kGroup &&
        artifact == kArtifact)
      found = true;
    current.clear();
  };
  if (!VisitXml(text, visitor) || !found) return std::nullopt;
  return std::string(kCoordinates);
}

std::optional<std::string> JavaClientInGradle(std::string_view text) {
  GradleScanner scanner(text);
  if (!scanner.FoundClient()) return std::nullopt;
  return std::string(kCoordinates);
}

// libs.versions.toml: [libraries] entries are "group:name:version" strings or tables with
// `module = "group:name"` or `group` and `name`.
std::optional<std::string> JavaClientInGradleCatalog(std::string_view text) {
  const std::optional<toml::table> doc = TomlOrNothing(text);
  if (!doc) return std::nullopt;
  const toml::table* libraries = toml::node_view<const toml::node>(*doc)["libraries"].as_table();
  if (libraries == nullptr) return std::nullopt;
  for (const auto& [alias, entry] : *libraries) {
    const auto library = toml::node_view<const toml::node>(entry);
    if (IsCoordinates(TomlString(library)) || IsCoordinates(TomlString(library["module"])) ||
        (TomlString(library["group"]) == kGroup && TomlString(library["name"]) == kArtifact)) {
      return std::string(kCoordinates);
    }
  }
  return std::nullopt;
}

}  // namespace bp::manifests
