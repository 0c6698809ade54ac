// The per-ecosystem readers behind EtcdClientIn (etcd_clients.h). Each returns the etcd client
// `text` declares, nullopt when none or when the text is malformed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bp::manifests {

// Python: etcd3, aetcd, etcd3gw (PEP 503 names).
std::optional<std::string> PythonClientInRequirements(std::string_view text);
std::optional<std::string> PythonClientInPyproject(std::string_view text);
std::optional<std::string> PythonClientInPipfile(std::string_view text);
std::optional<std::string> PythonClientInSetupCfg(std::string_view text);
// Node: etcd3.
std::optional<std::string> NodeClientInPackageJson(std::string_view text);
// Go: go.etcd.io/etcd/client/v3, and the pre-3.5 modules whose clientv3 package is the client.
std::optional<std::string> GoClientInGoMod(std::string_view text);
// Java: io.etcd:jetcd-core.
std::optional<std::string> JavaClientInPom(std::string_view text);
std::optional<std::string> JavaClientInGradle(std::string_view text);
std::optional<std::string> JavaClientInGradleCatalog(std::string_view text);
// Ruby: etcdv3.
std::optional<std::string> RubyClientInGemfile(std::string_view text);
std::optional<std::string> RubyClientInGemfileLock(std::string_view text);
// .NET: dotnet-etcd.
std::optional<std::string> DotnetClientInProject(std::string_view text);
// Rust: etcd-client.
std::optional<std::string> RustClientInCargoToml(std::string_view text);

}  // namespace bp::manifests
