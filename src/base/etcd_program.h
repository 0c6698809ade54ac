// etcd as a program the buildpack runs: the environment it needs and the version it reports.
// Shared by the installer (the post-install check) and the launch helper (TLS rules by version),
// so it sits below both.
#pragma once

#include <filesystem>
#include <string>

#include "base/env.h"
#include "base/result.h"

namespace bp {

// The installed version's record in an etcd install tree (<tree>/bin/etcd; the CNB etcd layer, or
// Cloud Foundry's $DEPS_DIR/<idx>/etcd), one line "3.5.30": the build writes it and the launch
// helper reads it at run time without running etcd (at launch the <layer>.toml files are gone).
inline constexpr char kEtcdVersionRecord[] = "etcd-version";

// Returns the environment etcd runs with: `env`, plus ETCD_UNSUPPORTED_ARCH=arm64 on arm64 hosts
// (etcd 3.4 refuses to start there without it; later versions ignore it).
Env EtcdEnvironment(const Env& env, const std::string& host_arch);

// Returns the version `etcd --version` prints for the binary at `etcd`.
Result<std::string> EtcdBinaryVersion(const std::filesystem::path& etcd);

}  // namespace bp
