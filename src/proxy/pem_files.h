// PEM text from VCAP_SERVICES becomes files the proxy can read: <tmp>/etcd-proxy-tls/{ca,cert,key}.pem,
// the directory 0700 and the files 0600, owned by the running user. The names are fixed so
// `etcd-proxy print` shows the exact paths without writing anything.
#pragma once

#include <filesystem>

#include "base/env.h"
#include "base/result.h"
#include "proxy/proxy_settings.h"

namespace bp {

namespace fs = std::filesystem;

// Returns $TMPDIR, or /tmp when it is unset.
fs::path TempDir(const Env& env);

// Returns `settings` with every PEM-text TlsFile given its path under `dir`; writes the files
// (creating `dir` safely) only when `write` is true. kIo when `dir` exists but is not a private
// directory of this user.
Result<ProxySettings> MaterializePemFiles(const ProxySettings& settings, const fs::path& dir, bool write);

}  // namespace bp
