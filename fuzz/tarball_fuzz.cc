// Fuzzes release-tarball extraction (dependency/tarball.h with etcd's placement rules,
// PlacementRules in dependency/provision.h): arbitrary bytes, as a gzip or plain tar stream, are
// extracted into a fresh directory. Whatever the input, afterwards
//   - nothing but dest/ exists in the scratch root (no write escaped the destination),
//   - dest/ holds only directories and regular files (no symlink, hardlink trick, device, FIFO),
//   - and only what the rules place: bin/, bin/etcd, bin/etcdctl, bin/etcdutl.
// A violation aborts, so libFuzzer keeps the input.
#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <system_error>

#include "dependency/byte_stream.h"
#include "dependency/etcd.h"
#include "dependency/tarball.h"
#include "fuzz_util.h"

namespace {

namespace fs = std::filesystem;

const std::set<std::string> kAllowed = {"bin", "bin/etcd", "bin/etcdctl", "bin/etcdutl"};

void CheckTree(const fs::path& root, const fs::path& dest) {
  std::error_code ec;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    BP_FUZZ_CHECK(it->path() == dest,
                  "something was written outside the destination: " + it->path().string());
  }
  BP_FUZZ_CHECK(!ec, "cannot list " + root.string() + ": " + ec.message());
  BP_FUZZ_CHECK(fs::symlink_status(dest, ec).type() == fs::file_type::directory,
                "the destination is gone");
  for (fs::recursive_directory_iterator it(dest, fs::directory_options::none, ec), end;
       !ec && it != end; it.increment(ec)) {
    const std::string relative = it->path().lexically_relative(dest).string();
    struct stat info {};
    BP_FUZZ_CHECK(::lstat(it->path().c_str(), &info) == 0, "cannot lstat " + relative);
    BP_FUZZ_CHECK(S_ISREG(info.st_mode) || S_ISDIR(info.st_mode),
                  "dest holds a non-regular file: " + relative);
    BP_FUZZ_CHECK(!S_ISREG(info.st_mode) || info.st_nlink == 1,
                  "dest holds a hard link: " + relative);
    BP_FUZZ_CHECK(kAllowed.count(relative) == 1,
                  "dest holds something the rules do not place: " + relative);
  }
  BP_FUZZ_CHECK(!ec, "cannot walk " + dest.string() + ": " + ec.message());
}

}  // namespace

bp::ExtractRules MakeRules() {
  bp::BuildSettings settings;
  settings.etcd_binaries = {"etcd", "etcdctl", "etcdutl"};
  return bp::PlacementRules(bp::EtcdProvision(settings), 1);
}

const bp::ExtractRules kRules = MakeRules();

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path root = bp_fuzz::ProcessTempDir() / "tar";
  const fs::path dest = root / "dest";
  bp_fuzz::FreshDir(dest);

  bp::StringSource source(std::string(bp_fuzz::AsText(data, size)), /*chunk_size=*/1000);
  bp::Result<bp::ExtractReport> report = bp::ExtractTarball(source, dest, kRules);
  CheckTree(root, dest);
  if (report.ok()) {
    for (const std::string& placed : report.value().placed) {
      BP_FUZZ_CHECK(kAllowed.count(placed) == 1 && placed != "bin",
                    "reported an unexpected placement: " + placed);
      std::error_code ec;
      BP_FUZZ_CHECK(fs::symlink_status(dest / placed, ec).type() == fs::file_type::regular,
                    "a reported file is missing: " + placed);
    }
  } else {
    BP_FUZZ_CHECK(report.error().kind == bp::ErrorKind::kInvalidInput ||
                      report.error().kind == bp::ErrorKind::kIo,
                  "unexpected error kind: " + report.error().message);
    BP_FUZZ_CHECK(!report.error().message.empty(), "an error without a message");
  }
  bp_fuzz::RemoveTree(dest);
  return 0;
}
