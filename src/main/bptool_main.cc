// bptool: packaging helpers for scripts/package.sh. Never shipped in a buildpack.
//   bptool version BUILDPACK_DIR
//       the version in buildpack.toml
//   bptool cf-manifest BUILDPACK_DIR [--cached]
//       manifest.yml generated from buildpack.toml
//   bptool fetch-dependencies BUILDPACK_DIR ARCH ROOT
//       download and verify ARCH's dependencies into ROOT/dependencies/<sha256>/<file> with the
//       build's downloader (mirrors, proxies, SSL_CERT_FILE apply)
//   bptool list-dependencies BUILDPACK_DIR ARCH
//       their paths, dependencies/<sha256>/<file>, one a line
//   bptool single-target BUILDPACK_DIR ARCH
//       buildpack.toml declaring only the linux/ARCH target, for an archive holding only ARCH's
//       executables
#include <chrono>
#include <iostream>

#include "base/exit_code.h"
#include "base/files.h"
#include "base/sha256.h"
#include "base/url.h"
#include "cf/manifest_yml.h"
#include "dependency/buildpack_toml.h"
#include "dependency/curl_fetcher.h"
#include "dependency/provision.h"
#include "dependency/source.h"
#include "dependency/target_filter.h"
#include "main/main_support.h"

extern char** environ;

namespace bp {
namespace {

int Fail(const Error& error) {
  std::cerr << "bptool: ERROR: " << OneLine(error) << "\n";
  return kExitError;
}

// A dependency that names no architecture serves every one.
bool ForArch(const Dependency& dep, const std::string& arch) {
  return dep.arch.empty() || dep.arch == arch;
}

int FetchDependencies(const BuildpackDescriptor& descriptor, const std::string& arch,
                      const fs::path& out, const Env& env) {
  PaketoLogger log(std::cerr, std::cerr, LogLevelFrom(env));
  Result<DownloadSettings> settings = ReadDownloadSettings(env, RegularFileExists);
  if (!settings.ok()) return Fail(settings.error());
  std::vector<Dependency> deps;
  for (const Dependency& dep : descriptor.dependencies) {
    if (ForArch(dep, arch)) deps.push_back(dep);
  }
  // Checked before any file, fetched or already here, so a bad mirror fails packaging as it
  // fails a build.
  Result<SourceSettings> sources = ReadSourceSettings(env, {}, "", "", deps);
  if (!sources.ok()) return Fail(sources.error());
  CurlFetcher fetcher(settings.value());
  for (const Dependency& dep : deps) {
    const fs::path destination = CachedArtifactPath(out, dep).lexically_normal();
    Result<std::string> existing = Sha256File(destination);
    if (existing.ok() && existing.value() == dep.sha256) {
      log.Subprocess("have " + dep.id + " " + dep.version + " (" + arch + ")");
      continue;
    }
    auto announce = [&](const ArtifactSource& source) {
      log.Subprocess("fetching " + dep.id + " " + dep.version + " (" + arch + ") from " +
                     RedactUrl(source.uri));
    };
    Status fetched = DownloadRelease(dep, sources.value(), destination, announce, fetcher,
                                     RetryPolicyFrom(settings.value()), log);
    if (!fetched.ok())
      return Fail(fetched.error().Wrap(dep.id + " " + dep.version + " for " + arch));
  }
  return kExitOk;
}

int ListDependencies(const BuildpackDescriptor& descriptor, const std::string& arch) {
  for (const Dependency& dep : descriptor.dependencies) {
    if (ForArch(dep, arch)) std::cout << CachedArtifactPath("", dep).string() << "\n";
  }
  return kExitOk;
}

int PrintSingleTarget(const fs::path& buildpack_dir, const std::string& arch) {
  Result<std::string> text = ReadSmallFile(buildpack_dir / "buildpack.toml", kMaxSettingBytes);
  if (!text.ok()) return Fail(text.error());
  Result<std::string> narrowed = KeepOnlyTarget(text.value(), Target{"linux", arch});
  if (!narrowed.ok()) return Fail(narrowed.error());
  std::cout << narrowed.value();
  return kExitOk;
}

// Runs the command args[0] on the buildpack at args[1], whose descriptor is `descriptor`.
int RunCommand(const std::vector<std::string>& args, const BuildpackDescriptor& descriptor) {
  const std::string& command = args[0];
  if (command == "version") {
    std::cout << descriptor.version << "\n";
    return kExitOk;
  }
  if (command == "cf-manifest") {
    ManifestOptions options;
    options.cached = args.size() > 2 && args[2] == "--cached";
    std::cout << CfManifestYml(descriptor, options);
    return kExitOk;
  }
  if (command == "list-dependencies" && args.size() == 3) {
    return ListDependencies(descriptor, args[2]);
  }
  if (command == "single-target" && args.size() == 3) return PrintSingleTarget(args[1], args[2]);
  if (command == "fetch-dependencies" && args.size() == 4) {
    return FetchDependencies(descriptor, args[2], args[3], Env::FromEnviron(environ));
  }
  std::cerr << "bptool: unknown command or wrong arguments\n";
  return kExitError;
}

int Main(int argc, char** argv) {
  const std::vector<std::string> args = Arguments(argc, argv, 1);
  if (args.size() < 2) {
    std::cerr
        << "usage: bptool version|cf-manifest|list-dependencies|fetch-dependencies|single-target "
           "BUILDPACK_DIR ...\n";
    return kExitError;
  }
  Result<BuildpackDescriptor> descriptor = ReadBuildpackToml(args[1]);
  if (!descriptor.ok()) return Fail(descriptor.error());
  return RunCommand(args, descriptor.value());
}

}  // namespace
}  // namespace bp

int main(int argc, char** argv) {
  return bp::GuardedMain("bptool: ", [&] { return bp::Main(argc, argv); });
}
