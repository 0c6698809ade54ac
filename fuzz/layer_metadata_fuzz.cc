// Fuzzes restored layer metadata (cnb/layer.h): the input is <layers>/etcd.toml as the
// lifecycle restored it; ReadLayerMetadata must turn anything into metadata or a reason, and
// DecideReuse must keep the layer only for metadata equal to what the build wants.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cnb/layer.h"
#include "fuzz_util.h"

namespace {

const bp::LayerMetadata kWanted = {{"version", "3.6.14"},
                                   {"sha256", std::string(64, 'a')},
                                   {"os", "linux"},
                                   {"arch", "amd64"},
                                   {"layout", "1"}};

// The recorded file list says what was installed, not what is wanted: reuse ignores it.
bp::LayerMetadata WithoutFileList(bp::LayerMetadata metadata) {
  metadata.erase(bp::kLayerFilesKey);
  return metadata;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bp_fuzz::fs::path layers = bp_fuzz::ProcessTempDir() / "layers";
  static const bool made = (bp_fuzz::FreshDir(layers), true);
  (void)made;
  bp_fuzz::WriteFile(layers / "etcd.toml", bp_fuzz::AsText(data, size));

  std::string why;
  const std::optional<bp::LayerMetadata> restored = bp::ReadLayerMetadata(layers, "etcd", &why);
  BP_FUZZ_CHECK(restored.has_value() || !why.empty(), "no metadata and no reason");
  for (const bool contents_present : {true, false}) {
    const bp::ReuseDecision decision =
        bp::DecideReuse(restored, why, kWanted, contents_present ? "" : "bin/etcd");
    const bool keep = decision.action == bp::Reuse::kKeep;
    BP_FUZZ_CHECK(
        keep == (restored.has_value() && WithoutFileList(*restored) == kWanted && contents_present),
        "wrong reuse decision");
    BP_FUZZ_CHECK(keep || !decision.reason.empty(), "replaced without a reason");
  }
  // What the build writes back must read back as the same metadata (the writer's contract covers
  // bare keys, which are the only ones the build writes).
  bool bare = restored.has_value();
  if (restored) {
    for (const auto& entry : *restored) bare = bare && bp_fuzz::IsBareKey(entry.first);
  }
  if (bare) {
    const std::string text = bp::LayerToml(bp::LaunchAndCacheLayer(), *restored);
    bp_fuzz::WriteFile(layers / "etcd.toml", text);
    std::string again_why;
    const std::optional<bp::LayerMetadata> again =
        bp::ReadLayerMetadata(layers, "etcd", &again_why);
    BP_FUZZ_CHECK(again.has_value() && *again == *restored,
                  "LayerToml does not round-trip: " + again_why);
  }
  return 0;
}
