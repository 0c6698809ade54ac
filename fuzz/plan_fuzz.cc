// Fuzzes the buildpack plan build receives (cnb/plan.h) and the TOML adapter (base/toml_fields.h).
// The input is written as the plan file; parsed TOML must survive ToTomlText (what the buildpack
// writes: plan, layer metadata, launch.toml). Its first line, when it is a valid constraint, is
// also a BP_ETCD_VERSION request for DetectPlanToml, which build must read back unchanged.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/toml_fields.h"
#include "base/version.h"
#include "cnb/plan.h"
#include "fuzz_util.h"

namespace {

// True when `text` is well-formed UTF-8 (what TOML strings hold).
bool IsUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (next & 0x3F);
    }
    const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace

// True when `node` is within bp::ToTomlText's contract: bare keys, and string, boolean and
// integer values (and arrays and tables of them) at any depth.
bool WithinWriterContract(const toml::node& node) {
  if (const toml::table* table = node.as_table()) {
    for (const auto& [key, value] : *table) {
      if (!bp_fuzz::IsBareKey(key.str()) || !WithinWriterContract(value)) return false;
    }
    return true;
  }
  if (const toml::array* array = node.as_array()) {
    for (const toml::node& element : *array) {
      if (!WithinWriterContract(element)) return false;
    }
    return true;
  }
  return node.is_string() || node.is_boolean() || node.is_integer();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bp_fuzz::fs::path plan = bp_fuzz::ProcessTempDir() / "plan.toml";
  const std::string_view text = bp_fuzz::AsText(data, size);
  bp_fuzz::WriteFile(plan, text);

  bp::Result<std::optional<bp::VersionRequest>> request = bp::ReadPlanVersionRequest(plan);
  if (!request.ok()) {
    BP_FUZZ_CHECK(request.error().kind == bp::ErrorKind::kInvalidInput, "not kInvalidInput");
  } else if (request.value()) {
    BP_FUZZ_CHECK(!request.value()->constraint.empty(), "an empty constraint from the plan");
    BP_FUZZ_CHECK(!request.value()->label.empty(), "a request without a label");
  }

  bp::Result<toml::table> table = bp::ParseToml(text, "fuzz");
  if (table.ok() && WithinWriterContract(table.value())) {
    // What the buildpack writes must read back (layer metadata, plan and launch.toml go this way).
    const std::string again_text = bp::ToTomlText(table.value());
    bp::Result<toml::table> again = bp::ParseToml(again_text, "fuzz-again");
    BP_FUZZ_CHECK(again.ok(),
                  "ToTomlText output does not parse: " + (again.ok() ? "" : again.error().message));
    // ... as the same document: writing it again gives the same text (nan-safe, unlike ==).
    BP_FUZZ_CHECK(bp::ToTomlText(again.value()) == again_text,
                  "ToTomlText does not round-trip:\n" + again_text);
  }

  // Detect writes the plan for any constraint VersionConstraint accepts (BP_ETCD_VERSION); build
  // must read the same request back from the same shape under [[entries]].
  const bp::VersionRequest written{std::string(text.substr(0, text.find('\n'))),
                                   bp::VersionOrigin::kSetting, "BP_ETCD_VERSION"};
  if (!bp::VersionConstraint::Parse(written.constraint).ok()) return 0;
  bp::Result<toml::table> detect_table = bp::ParseToml(bp::DetectPlanToml(written), "detect plan");
  BP_FUZZ_CHECK(detect_table.ok(), "DetectPlanToml output does not parse");
  toml::table build_plan;
  build_plan.insert("entries", *detect_table.value()["requires"].as_array());
  bp_fuzz::WriteFile(plan, bp::ToTomlText(build_plan));
  bp::Result<std::optional<bp::VersionRequest>> read = bp::ReadPlanVersionRequest(plan);
  BP_FUZZ_CHECK(read.ok() && read.value().has_value(), "build cannot read detect's request back");
  const std::string& back = read.value()->constraint;
  if (IsUtf8(written.constraint)) {
    BP_FUZZ_CHECK(back == written.constraint, "the constraint changed on the way: " + back);
  } else {
    // Build metadata ("3.6.14+...") is not validated and toml++ writes a stray byte 0xAA as
    // \u00AA, so only the meaning must survive (build metadata never matters).
    bp::Result<bp::VersionConstraint> a = bp::VersionConstraint::Parse(written.constraint);
    bp::Result<bp::VersionConstraint> b = bp::VersionConstraint::Parse(back);
    BP_FUZZ_CHECK(b.ok(), "the constraint read back does not parse: " + back);
    for (const char* v : {"0.0.0", "3.5.0", "3.6.0-rc.1", "3.6.14", "4.0.0"}) {
      BP_FUZZ_CHECK(
          a.value().Matches(*bp::ParseVersion(v)) == b.value().Matches(*bp::ParseVersion(v)),
          "the constraint read back means something else: " + back);
    }
  }
  return 0;
}
