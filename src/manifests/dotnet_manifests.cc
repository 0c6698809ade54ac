// .NET: MSBuild project files' <PackageReference Include="dotnet-etcd">. NuGet ids are
// case-insensitive; Include may list several ids separated by ';'. Update and Remove change or
// drop a reference made elsewhere and add none.
#include "base/strings.h"
#include "manifests/manifest_text.h"
#include "manifests/parsers.h"
#include "manifests/xml_scan.h"

namespace bp::manifests {

namespace {

constexpr char kDotnetClient[] = "dotnet-etcd";

}  // namespace

std::optional<std::string> DotnetClientInProject(std::string_view text) {
  bool found = false;
  XmlVisitor visitor;
  visitor.start = [&](const XmlPath& path, const XmlAttributes& attributes) {
    if (path.back() != "PackageReference") return;
    for (const auto& [name, value] : attributes) {
      if (name != "Include") continue;
      for (const std::string& id : SplitList(value, ';'))
        found = found || EqualsIgnoringCase(id, kDotnetClient);
    }
  };
  if (!VisitXml(text, visitor) || !found) return std::nullopt;
  return std::string(kDotnetClient);
}

}  // namespace bp::manifests
