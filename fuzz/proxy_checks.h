// The invariants every fuzz target that reaches AssembleProxyCommand checks
// (proxy_config/proxy_command.h): a successful command has the etcd binary first and an
// --endpoints= argument, and after RedactArgument (what `etcd-proxy print` shows) no endpoint still
// carries its userinfo.
#pragma once

#include <string>
#include <vector>

#include "base/strings.h"
#include "base/url.h"
#include "fuzz_util.h"
#include "proxy_config/proxy_command.h"
#include "proxy_config/proxy_settings.h"

namespace bp_fuzz {

inline void CheckProxyCommand(const bp::ProxySettings& settings,
                              const std::vector<std::string>& passthrough) {
  bp::Result<bp::ProxyCommand> command =
      bp::AssembleProxyCommand(settings, "/fuzz/bin/etcd", "/fuzz/tmp/etcd-proxy", passthrough);
  if (!command.ok()) {
    BP_FUZZ_CHECK(command.error().kind == bp::ErrorKind::kInvalidInput,
                  "a refusal that is not kInvalidInput");
    BP_FUZZ_CHECK(!command.error().message.empty(), "a refusal without a message");
    return;
  }
  const std::vector<std::string>& argv = command.value().argv;
  BP_FUZZ_CHECK(argv.size() >= 7 && argv[0] == "/fuzz/bin/etcd" && argv[1] == "grpc-proxy" &&
                    argv[2] == "start",
                "the command does not start etcd grpc-proxy");
  BP_FUZZ_CHECK(settings.endpoints && !settings.endpoints->empty(), "a command without endpoints");
  for (const std::string& arg : argv) {
    const std::string shown = bp::RedactArgument(arg);
    if (!bp::StartsWith(arg, "--endpoints=")) continue;
    // Every endpoint the command accepted, as printed, must have lost its user:password.
    for (const std::string& item : bp::SplitList(std::string_view(shown).substr(12), ',')) {
      const std::optional<bp::Url> url = bp::ParseUrl(item);
      BP_FUZZ_CHECK(
          !url || url->userinfo.empty() || url->userinfo == "***",
          "RedactArgument left the userinfo of endpoint \"" + item + "\" in \"" + shown + "\"");
    }
  }
}

}  // namespace bp_fuzz
