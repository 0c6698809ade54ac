// A small, non-validating XML reader for build files (pom.xml, *.csproj): it reports elements
// and their text in document order and rejects what is not well-formed enough to trust
// (unclosed tags, comments or quotes, mismatched end tags, nesting deeper than kMaxXmlDepth).
// Entities are left as written; DTDs and processing instructions are skipped.
#pragma once

#include <functional>
#include <string_view>
#include <utility>
#include <vector>

namespace bp::manifests {

inline constexpr size_t kMaxXmlDepth = 128;

using XmlAttributes = std::vector<std::pair<std::string_view, std::string_view>>;
// The names of the open elements, outermost first; the last is the current one.
using XmlPath = std::vector<std::string_view>;

struct XmlVisitor {
  std::function<void(const XmlPath&, const XmlAttributes&)> start = [](const XmlPath&,
                                                                       const XmlAttributes&) {};
  std::function<void(const XmlPath&, std::string_view)> text = [](const XmlPath&,
                                                                  std::string_view) {};
  std::function<void(const XmlPath&)> end = [](const XmlPath&) {};
};

// Visits `text`; returns false (having visited a prefix) when it is malformed.
bool VisitXml(std::string_view text, const XmlVisitor& visitor);

}  // namespace bp::manifests
