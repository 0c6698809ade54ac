// PEM text from VCAP_SERVICES becomes files the proxy can read:
// <tmp>/etcd-proxy-tls-<uid>-<digest>/{ca,cert,key}.pem, the directory 0700 and the files 0600,
// owned by the running user. The digest covers the uid and the PEM text, so two helpers in one
// container with different credentials never share (or overwrite) a file, while the path stays a
// pure function of the configuration: `etcd-proxy print` shows the exact paths without writing.
#pragma once

#include <filesystem>

#include "base/env.h"
#include "base/result.h"
#include "proxy_config/proxy_settings.h"

namespace bp {

namespace fs = std::filesystem;

// Returns $TMPDIR, or /tmp when it is unset.
fs::path TempDir(const Env& env);

// Returns the private directory for the PEM text in `settings`, under `tmp`.
fs::path PemDirectory(const fs::path& tmp, const ProxySettings& settings);

// Returns `settings` with every PEM-text TlsFile given its path under `dir`; writes the files
// (creating `dir` safely) only when `write` is true. kIo when `dir` exists but is not a private
// directory of this user. A file already holding the same text (another helper with the same
// credentials) is left untouched.
Result<ProxySettings> MaterializePemFiles(const ProxySettings& settings, const fs::path& dir,
                                          bool write);

}  // namespace bp
