#include "manifests/xml_scan.h"

#include "base/strings.h"
#include "manifests/manifest_text.h"

namespace bp::manifests {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void SkipSpace(std::string_view& text) {
  while (!text.empty() && IsSpace(text[0])) text.remove_prefix(1);
}

std::string_view ConsumeName(std::string_view& text) {
  size_t end = 0;
  while (end < text.size() && !IsSpace(text[end]) && text[end] != '/' && text[end] != '>' &&
         text[end] != '=')
    ++end;
  const std::string_view name = text.substr(0, end);
  text.remove_prefix(end);
  return name;
}

// Skips past `terminator`; false when it never comes.
bool SkipPast(std::string_view& text, std::string_view terminator) {
  const size_t at = text.find(terminator);
  if (at == std::string_view::npos) return false;
  text.remove_prefix(at + terminator.size());
  return true;
}

// Reads the attributes and the end of a start tag (after its name). Returns false when the tag
// is malformed; sets `self_closing` for <x/>.
bool ConsumeAttributes(std::string_view& text, XmlAttributes& attributes, bool& self_closing) {
  while (true) {
    SkipSpace(text);
    if (StartsWith(text, "/>")) {
      text.remove_prefix(2);
      self_closing = true;
      return true;
    }
    if (StartsWith(text, ">")) {
      text.remove_prefix(1);
      self_closing = false;
      return true;
    }
    const std::string_view name = ConsumeName(text);
    SkipSpace(text);
    if (name.empty() || !StartsWith(text, "=")) return false;
    text.remove_prefix(1);
    SkipSpace(text);
    const std::optional<std::string_view> value = ConsumeQuoted(text);
    if (!value) return false;
    attributes.emplace_back(name, *value);
  }
}

// Handles what follows "<!": a comment, CDATA (reported as text) or a DOCTYPE.
bool ConsumeMarkup(std::string_view& text, const XmlPath& path, const XmlVisitor& visitor) {
  if (StartsWith(text, "<!--")) return SkipPast(text, "-->");
  if (StartsWith(text, "<![CDATA[")) {
    text.remove_prefix(9);
    const size_t at = text.find("]]>");
    if (at == std::string_view::npos || path.empty()) return false;
    visitor.text(path, text.substr(0, at));
    text.remove_prefix(at + 3);
    return true;
  }
  if (!path.empty()) return false;  // a DOCTYPE belongs before the root element
  const size_t close = text.find('>');
  if (close == std::string_view::npos) return false;
  // Looking for '[' only before the '>' keeps a run of declarations linear.
  if (text.substr(0, close).find('[') != std::string_view::npos) return SkipPast(text, "]>");
  return SkipPast(text, ">");
}

// Handles "</name>": closes the element open at the end of `path`; false when it is another.
bool ConsumeEndTag(std::string_view& text, XmlPath& path, const XmlVisitor& visitor) {
  text.remove_prefix(2);
  const std::string_view name = ConsumeName(text);
  SkipSpace(text);
  if (path.empty() || name != path.back() || !StartsWith(text, ">")) return false;
  text.remove_prefix(1);
  visitor.end(path);
  path.pop_back();
  return true;
}

// Handles "<name …>" and "<name …/>"; false when it is malformed, a second root element or
// nested deeper than kMaxXmlDepth.
bool ConsumeStartTag(std::string_view& text, XmlPath& path, bool& seen_root,
                     const XmlVisitor& visitor) {
  text.remove_prefix(1);
  const std::string_view name = ConsumeName(text);
  XmlAttributes attributes;
  bool self_closing = false;
  if (name.empty() || (path.empty() && seen_root) ||
      !ConsumeAttributes(text, attributes, self_closing)) {
    return false;
  }
  if (path.size() >= kMaxXmlDepth) return false;
  seen_root = true;
  path.push_back(name);
  visitor.start(path, attributes);
  if (self_closing) {
    visitor.end(path);
    path.pop_back();
  }
  return true;
}

// Handles the markup that starts `text` (at a '<').
bool ConsumeTag(std::string_view& text, XmlPath& path, bool& seen_root, const XmlVisitor& visitor) {
  if (StartsWith(text, "<?")) return SkipPast(text, "?>");
  if (StartsWith(text, "<!")) return ConsumeMarkup(text, path, visitor);
  if (StartsWith(text, "</")) return ConsumeEndTag(text, path, visitor);
  return ConsumeStartTag(text, path, seen_root, visitor);
}

// Reports the text between two tags; outside the root element only white space may stand.
bool VisitText(std::string_view text, const XmlPath& path, const XmlVisitor& visitor) {
  if (text.empty()) return true;
  if (!path.empty()) visitor.text(path, text);
  return !path.empty() || Trim(text).empty();
}

}  // namespace

bool VisitXml(std::string_view text, const XmlVisitor& visitor) {
  XmlPath path;
  bool seen_root = false;
  text = WithoutByteOrderMark(text);  // Visual Studio writes one
  while (!text.empty()) {
    const size_t open = text.find('<');
    if (open == std::string_view::npos) break;
    if (!VisitText(text.substr(0, open), path, visitor)) return false;
    text.remove_prefix(open);
    if (!ConsumeTag(text, path, seen_root, visitor)) return false;
  }
  return seen_root && path.empty() && Trim(text).empty();
}

}  // namespace bp::manifests
