// Fuzzes restored layer metadata (cnb/layer.h, cnb/layer_metadata.h): the input is
// <layers>/etcd.toml as the lifecycle restored it; ReadRestoredLayer must turn anything into
// metadata or a reason, and DecideReuse must keep the layer only for metadata that reads back as
// the etcd layer's struct equal to what the build wants.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cnb/etcd_layer.h"
#include "cnb/layer.h"
#include "cnb/layer_metadata.h"
#include "fuzz_util.h"

namespace {

const bp::EtcdLayerMetadata kWanted{"3.6.14", std::string(64, 'a'),   "linux", "amd64",
                                    "1",      "bin/etcd etcd-version"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bp_fuzz::fs::path layers = bp_fuzz::ProcessTempDir() / "layers";
  static const bool made = (bp_fuzz::FreshDir(layers), true);
  (void)made;
  bp_fuzz::WriteFile(layers / "etcd.toml", bp_fuzz::AsText(data, size));

  bp::RestoredLayer layer = bp::ReadRestoredLayer(layers, "etcd");
  BP_FUZZ_CHECK(layer.metadata.has_value() || !layer.unusable_reason.empty(),
                "no metadata and no reason");
  // The recorded file list says what was installed, not what is wanted: reuse ignores it.
  const bool wanted = layer.metadata && *layer.metadata == bp::ToLayerMetadata(kWanted);
  for (const bool contents_present : {true, false}) {
    layer.missing_file = contents_present ? "" : "bin/etcd";
    const bp::ReuseDecision decision = bp::DecideReuse(layer, kWanted);
    const bool keep = decision.action == bp::Reuse::kKeep;
    BP_FUZZ_CHECK(keep == (wanted && contents_present), "wrong reuse decision");
    BP_FUZZ_CHECK(keep || !decision.reason.empty(), "replaced without a reason");
  }
  std::string why;
  const std::optional<bp::LayerMetadata> restored = bp::ReadLayerMetadata(layers, "etcd", &why);
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
