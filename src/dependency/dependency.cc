#include "dependency/dependency.h"

#include <algorithm>
#include <set>

#include "base/strings.h"

namespace bp {

std::string Dependency::FileName() const {
  std::string_view path = uri;
  path = path.substr(0, path.find_first_of("?#"));
  const size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

namespace {

// What buildpack.toml offers of one dependency for a target.
struct Offer {
  const Dependency* best = nullptr;      // the highest version matching the constraint
  std::vector<Version> for_target;       // every version for the target
  std::set<std::string> targets_listed;  // "os/arch" of every entry, "any" for empty
};

Offer OfferFor(const std::vector<Dependency>& dependencies, std::string_view id,
               const VersionConstraint& constraint, const Target& target) {
  Offer offer;
  std::optional<Version> best_version;
  for (const Dependency& dep : dependencies) {
    if (dep.id != id) continue;
    offer.targets_listed.insert((dep.os.empty() ? "any" : dep.os) + "/" +
                                (dep.arch.empty() ? "any" : dep.arch));
    if (!dep.os.empty() && dep.os != target.os) continue;
    if (!dep.arch.empty() && dep.arch != target.arch) continue;
    const std::optional<Version> version = ParseVersion(dep.version);
    if (!version) continue;  // buildpack.toml validation rejects these earlier
    offer.for_target.push_back(*version);
    if (!constraint.Matches(*version)) continue;
    if (!best_version || CompareVersions(*version, *best_version) > 0) {
      offer.best = &dep;
      best_version = version;
    }
  }
  return offer;
}

// Says that nothing of `offer` fits: no release for the target, or none matching the constraint.
Error NothingFits(Offer offer, std::string_view id, const VersionConstraint& constraint,
                  const Target& target, std::string_view version_setting) {
  const std::string name(id);
  if (offer.for_target.empty()) {
    return MakeError(
        ErrorKind::kNotFound,
        "buildpack.toml has no " + name + " for " + target.ToString() + " (it lists " +
            Join(std::vector<std::string>(offer.targets_listed.begin(), offer.targets_listed.end()),
                 ", ") +
            ")",
        "build for one of the listed targets");
  }
  std::sort(offer.for_target.begin(), offer.for_target.end(),
            [](const Version& a, const Version& b) { return CompareVersions(a, b) > 0; });
  std::vector<std::string> listed;
  for (const Version& v : offer.for_target) listed.push_back(v.ToString());
  return MakeError(ErrorKind::kNotFound,
                   "no " + name + " version matches " + Quote(constraint.text()) + " for " +
                       target.ToString() + " (available: " + Join(listed, ", ") + ")",
                   "set " + std::string(version_setting) +
                       " to one of the available versions or a range that includes one");
}

}  // namespace

Result<Dependency> ResolveDependency(const std::vector<Dependency>& dependencies,
                                     std::string_view id, const VersionConstraint& constraint,
                                     const Target& target, std::string_view version_setting) {
  const Offer offer = OfferFor(dependencies, id, constraint, target);
  if (offer.best != nullptr) return *offer.best;
  return NothingFits(offer, id, constraint, target, version_setting);
}

}  // namespace bp
