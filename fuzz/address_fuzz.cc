// Fuzzes the strict address parser (base/address.h) and the proxy command built on it. Each input
// line is tried as an etcd endpoint and as a listen address. Accepted: the port is 1..65535, the
// host has no space or control character, and printing then parsing gives the same address.
// Refused: the message never repeats the value (callers decide how to show it). Then the lines
// become BPL_ETCD_PROXY_ENDPOINTS and BPL_ETCD_PROXY_LISTEN_ADDR for AssembleProxyCommand, whose
// argv must hold no control character and no endpoint equal to the listen address.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/address.h"
#include "base/strings.h"
#include "fuzz_util.h"
#include "proxy_config/proxy_command.h"

namespace {

void CheckHost(const bp::Address& a, std::string_view text) {
  BP_FUZZ_CHECK(a.port >= 1 && a.port <= 65535,
                "accepted port " + std::to_string(a.port) + " from " + bp::Quote(text));
  for (char c : a.host) {
    const auto byte = static_cast<unsigned char>(c);
    BP_FUZZ_CHECK(byte > 0x20 && byte != 0x7f,
                  "accepted a host with a space or control byte: " + bp::Quote(text));
  }
}

void CheckRefusal(const bp::Error& error) {
  BP_FUZZ_CHECK(error.kind == bp::ErrorKind::kInvalidInput, "not kInvalidInput");
  BP_FUZZ_CHECK(!error.message.empty(), "a refusal without a message");
}

// A refusal describes the problem, never the value: a marker no message text holds, placed at
// the start and the end of the value, must not come back.
void CheckRefusalHidesTheValue(std::string_view line) {
  for (const std::string& marked : {"qzx" + std::string(line), std::string(line) + "qzx"}) {
    for (const bp::Result<bp::Address>& r :
         {bp::ParseEndpoint(marked), bp::ParseListenAddress(marked)}) {
      if (r.ok()) continue;
      BP_FUZZ_CHECK(r.error().message.find("qzx") == std::string::npos,
                    "the refusal repeats the value: " + r.error().message);
    }
  }
}

void CheckLine(std::string_view line) {
  bp::Result<bp::Address> endpoint = bp::ParseEndpoint(line);
  if (endpoint.ok()) {
    CheckHost(endpoint.value(), line);
    bp::Result<bp::Address> again = bp::ParseEndpoint(endpoint.value().ToString());
    BP_FUZZ_CHECK(again.ok(), "a printed endpoint does not parse: " + endpoint.value().ToString());
    BP_FUZZ_CHECK(again.value().ToString() == endpoint.value().ToString() &&
                      again.value().port == endpoint.value().port,
                  "printing an endpoint changed it: " + endpoint.value().ToString());
  } else {
    CheckRefusal(endpoint.error());
  }
  bp::Result<bp::Address> listen = bp::ParseListenAddress(line);
  if (listen.ok()) {
    CheckHost(listen.value(), line);
    const std::string printed = listen.value().host.empty()
                                    ? ":" + std::to_string(listen.value().port)
                                    : listen.value().HostPort();
    bp::Result<bp::Address> again = bp::ParseListenAddress(printed);
    BP_FUZZ_CHECK(again.ok() && again.value().HostPort() == listen.value().HostPort(),
                  "printing a listen address changed it: " + printed);
  } else {
    CheckRefusal(listen.error());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = bp_fuzz::AsText(data, size);
  std::vector<std::string> lines;
  for (std::string_view rest = text; lines.size() < 8;) {
    const size_t newline = rest.find('\n');
    lines.emplace_back(rest.substr(0, newline));
    if (newline == std::string_view::npos) break;
    rest.remove_prefix(newline + 1);
  }
  for (const std::string& line : lines) {
    CheckLine(line);
    CheckRefusalHidesTheValue(line);
  }

  bp::ProxySettings settings;
  // As the settings give them: an endpoint list drops empty items (EndpointList), a variable is
  // trimmed (Env::GetSetting).
  settings.endpoints.emplace();
  for (size_t i = lines.size() > 1 ? 1 : 0; i < lines.size(); ++i) {
    if (!bp::Trim(lines[i]).empty()) settings.endpoints->emplace_back(bp::Trim(lines[i]));
  }
  settings.endpoints_origin = "BPL_ETCD_PROXY_ENDPOINTS";
  if (lines.size() > 1) {
    // As ReadLaunchSettings gives it: checked, or the launch stops there.
    bp::Result<bp::Address> listen = bp::ParseListenAddress(lines.front());
    if (!listen.ok()) return 0;
    settings.listen_addr = bp::ListenAddress{std::string(bp::Trim(lines.front())), listen.value()};
  }
  bp::Result<bp::ProxyCommand> command =
      bp::AssembleProxyCommand(settings, "/etcd", "/tmp/data", {});
  if (!command.ok()) return 0;
  const bp::Address listen = bp::ListenAddressOf(settings).address;
  for (const std::string& arg : command.value().argv) {
    for (char c : arg) {
      const auto byte = static_cast<unsigned char>(c);
      BP_FUZZ_CHECK(byte >= 0x20 && byte != 0x7f,
                    "a control byte reached grpc-proxy's argv: " + bp::Quote(arg));
    }
  }
  for (const std::string& text_endpoint : *settings.endpoints) {
    const bp::Address e = bp::ParseEndpoint(text_endpoint).value();
    if (e.port == listen.port && bp::IsLoopbackHost(e.host) && bp::IsLoopbackHost(listen.host)) {
      bp_fuzz::Fail("an endpoint on the proxy's own loopback port was accepted: " + e.ToString());
    }
  }
  return 0;
}
