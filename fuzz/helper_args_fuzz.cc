// Fuzzes the launch helper's command line and settings (launch/helper.h,
// proxy_config/proxy_settings.h) and the small string parsers (base/strings.h). The input is
// NUL-separated arguments; those of the form NAME=VALUE also form the environment for
// ReadLaunchSettings (BPL_ETCD_PROXY_*).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/etcd_program.h"
#include "base/strings.h"
#include "base/url.h"
#include "fuzz_util.h"
#include "launch/helper.h"
#include "proxy_checks.h"
#include "proxy_config/proxy_settings.h"

namespace {

void CheckSplit(std::string_view text, char separator) {
  for (const std::string& piece : bp::SplitList(text, separator)) {
    BP_FUZZ_CHECK(!piece.empty(), "SplitList kept an empty piece");
    BP_FUZZ_CHECK(piece.find(separator) == std::string::npos, "SplitList kept a separator");
    BP_FUZZ_CHECK(bp::Trim(piece) == piece, "SplitList did not trim");
  }
}

// "007" → "7", "000" → "0".
std::string WithoutLeadingZeros(std::string_view digits) {
  const size_t first = digits.find_first_not_of('0');
  if (first == std::string_view::npos) return digits.empty() ? "" : "0";
  return std::string(digits.substr(first));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = bp_fuzz::AsText(data, size);
  std::vector<std::string> args;
  std::map<std::string, std::string, std::less<>> vars;
  std::string_view rest = text;
  while (!rest.empty() && args.size() < 64) {
    const size_t nul = rest.find('\0');
    const std::string_view arg = rest.substr(0, nul);
    args.emplace_back(arg);
    if (const size_t eq = arg.find('='); eq != std::string_view::npos && eq > 0) {
      vars[std::string(arg.substr(0, eq))] = std::string(arg.substr(eq + 1));
    }
    rest = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
  }

  bp::Result<bp::HelperArgs> parsed = bp::ParseHelperArgs(args);
  if (parsed.ok()) {
    const bp::HelperArgs& h = parsed.value();
    BP_FUZZ_CHECK(h.timeout.count() >= 0 && h.timeout.count() <= 86400 * 1000,
                  "timeout out of range");
    if (h.mode == bp::HelperMode::kRun)
      BP_FUZZ_CHECK(h.passthrough == args, "run mode changed the arguments");
  } else {
    BP_FUZZ_CHECK(parsed.error().kind == bp::ErrorKind::kInvalidInput, "not kInvalidInput");
  }

  for (const std::string& arg : args) {
    CheckSplit(arg, ',');
    CheckSplit(arg, ':');
    const std::optional<bool> flag = bp::ParseBool(arg);
    BP_FUZZ_CHECK(!flag || bp::ToLower(bp::Trim(arg)) == (*flag ? "true" : "false"),
                  "ParseBool accepted " + arg);
    for (const long max : {0L, 86400L, 999999999999999999L}) {
      const std::optional<long> count = bp::ParseCount(arg, max);
      BP_FUZZ_CHECK(!count || (*count >= 0 && *count <= max), "ParseCount out of range for " + arg);
      if (count)
        BP_FUZZ_CHECK(std::to_string(*count) == WithoutLeadingZeros(bp::Trim(arg)),
                      "ParseCount misread " + arg);
    }
    (void)bp::RedactArgument(arg);
    (void)bp::RedactUrl(arg);
  }

  const bp::Env env(std::move(vars));
  bp::Result<bp::LaunchSettings> settings = bp::ReadLaunchSettings(env);
  if (settings.ok()) {
    const bp::ProxySettings& proxy = settings.value().proxy;
    if (proxy.endpoints) {
      for (const std::string& endpoint : *proxy.endpoints) {
        BP_FUZZ_CHECK(!endpoint.empty() && endpoint.find(',') == std::string::npos,
                      "a bad endpoint item");
      }
    }
    bp_fuzz::CheckProxyCommand(
        proxy, parsed.ok() ? parsed.value().passthrough : std::vector<std::string>());
    (void)bp::EtcdEnvironment(env, "arm64");
  } else {
    BP_FUZZ_CHECK(settings.error().kind == bp::ErrorKind::kInvalidInput, "not kInvalidInput");
  }
  return 0;
}
