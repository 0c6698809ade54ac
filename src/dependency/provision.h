// One provisioning pipeline for whatever the buildpack provides, driven by a description:
//
//   version request → resolve → deprecation warning                          SelectRelease
//   → choose the source → fetch → verify → extract what is placed → check    InstallRelease
//
// CNB build (into a layer) and Cloud Foundry supply (into DEPS_DIR) both call these two, and
// packaging downloads through DownloadRelease; only where the tree goes, which sources the
// platform has (source.h) and how each platform words its log differ.
// The description also names the files a cached layer must hold to be reused and derives the
// layer's layout key, so changing what is placed replaces old cached layers by itself.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/log.h"
#include "base/result.h"
#include "base/target.h"
#include "dependency/buildpack_toml.h"
#include "dependency/fetcher.h"
#include "dependency/install.h"
#include "dependency/retry.h"
#include "dependency/source.h"

namespace bp {

namespace fs = std::filesystem;

// What the buildpack provides, as data (dependency/etcd.h describes etcd).
struct Provision {
  std::string id;               // buildpack.toml's [[metadata.dependencies]] id
  std::string version_setting;  // the setting that asks for a version, for messages
  std::optional<std::string> requested_version;  // its value, when the user set it
  std::string binaries_setting;                  // the setting that chose `binaries`, for messages
  // Files of the release (after strip-components) placed in bin/, in this order. The first is
  // the one `check` inspects and every release must have it; the others are checked present.
  std::vector<std::string> binaries;
  // Checks a staged tree before it is promoted (e.g. runs `etcd --version`), and may add files
  // to it: those are listed in `written_files`.
  std::function<Status(const fs::path& tree, const std::string& version, const Target& target,
                       Logger& log)>
      check;
  std::vector<std::string> written_files;  // relative to the tree: "etcd-version"
};

// Returns the paths the pipeline places, relative to the destination: "bin/etcd", …, then the
// written files.
std::vector<std::string> PlacedFiles(const Provision& what);

// Returns the key a cached tree records for its layout: any change to what is placed changes it.
std::string LayoutKey(const Provision& what);

// Where a version request came from, highest precedence first.
enum class VersionOrigin { kSetting, kBuildPlan, kDefaultVersions, kAnyVersion };

// A version constraint, where it came from, and how the log names that ("BP_ETCD_VERSION",
// "go.mod (build plan)", …).
struct VersionRequest {
  std::string constraint;
  VersionOrigin origin = VersionOrigin::kAnyVersion;
  std::string label;
};

// Returns the request: the version setting, else `fallback` (e.g. the build plan's), else
// buildpack.toml's default-versions, else any version.
VersionRequest RequestFor(const Provision& what, const BuildpackDescriptor& descriptor,
                          const std::optional<VersionRequest>& fallback);

struct Selection {
  VersionRequest request;
  Dependency dependency;
  std::optional<std::string> deprecation_warning;
};

// Resolves the request (see RequestFor) to the release for `target`; errors name the setting.
Result<Selection> SelectRelease(const Provision& what, const BuildpackDescriptor& descriptor,
                                const std::optional<VersionRequest>& fallback, const Target& target,
                                std::chrono::system_clock::time_point today);

// Returns the extraction rules that place `what`'s binaries under bin/.
ExtractRules PlacementRules(const Provision& what, int strip_components);

// Tells the log where the bytes come from, in the platform's words, before they are fetched.
using SourceAnnouncer = std::function<void(const ArtifactSource& source)>;

// Which release goes where, and the sources it may come from.
struct ReleaseDelivery {
  Dependency dependency;
  fs::path destination;  // created, or replaced as a whole
  Target target;
  // Where the bytes may come from (ChooseSource picks). A file that does not come from the
  // download cache or the offline package is kept in the download cache, when there is one.
  SourceSettings sources;
  SourceAnnouncer announce_source;  // optional
};

// Chooses the source (source.h), fetches, verifies and unpacks the release into
// `delivery.destination` (all or nothing, see install.h), then checks it: `what.check`, and every
// binary present. A cached download that no longer verifies is discarded, with a warning, and
// the release is fetched from the next source.
Result<ArchiveReport> InstallRelease(const Provision& what, const ReleaseDelivery& delivery,
                                     Fetcher& fetcher, const RetryPolicy& retry, Logger& log);

// Downloads `dep` from the source ChooseSource picks in `sources` to `destination` (a file),
// verified (install.h DownloadVerified): how packaging assembles offline archives.
Status DownloadRelease(const Dependency& dep, const SourceSettings& sources,
                       const fs::path& destination, const SourceAnnouncer& announce,
                       Fetcher& fetcher, const RetryPolicy& retry, Logger& log);

}  // namespace bp
