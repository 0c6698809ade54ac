// Test support: a fake network, a recording logger, tarballs built in memory (including the
// malicious kinds no real tool would write), and small file helpers. Linked into bp_tests only.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/files.h"
#include "base/log.h"
#include "dependency/dependency.h"
#include "dependency/fetcher.h"
#include "dependency/provision.h"
#include "dependency/services.h"

namespace bp::testing {

namespace fs = std::filesystem;

// Serves bodies from memory; `scripted` failures are returned (in order) before the body.
class FakeFetcher : public Fetcher {
 public:
  Status Fetch(const std::string& uri, ByteSink& sink) override;

  std::map<std::string, std::string> bodies;
  std::map<std::string, std::vector<Error>> failures;  // consumed one per request
  std::vector<std::string> requested;
  size_t chunk_size = 4096;
};

class RecordingLogger : public Logger {
 public:
  void Title(std::string_view text) override { Add("title", text); }
  void Process(std::string_view text) override { Add("process", text); }
  void Subprocess(std::string_view text) override { Add("subprocess", text); }
  void Action(std::string_view text) override { Add("action", text); }
  void Warning(std::string_view text) override { Add("warning", text); }
  void Debug(std::string_view text) override { Add("debug", text); }
  void Break() override {}
  void Failure(const Error& error) override { Add("failure", error.message); }
  bool debug() const override { return true; }

  // Returns every line as "kind: text".
  const std::vector<std::string>& lines() const { return lines_; }
  // Returns true when some line contains `text`.
  bool Contains(std::string_view text) const;

 private:
  void Add(std::string_view kind, std::string_view text) {
    lines_.push_back(std::string(kind) + ": " + std::string(text));
  }
  std::vector<std::string> lines_;
};

struct TarEntry {
  enum class Type { kFile, kDirectory, kSymlink, kHardlink, kCharDevice, kFifo };
  std::string path;
  std::string content;  // files
  std::string target;   // links
  Type type = Type::kFile;
  int mode = 0755;
};

// Named constructors, so each entry says what it is.
TarEntry TarFile(std::string path, std::string content, int mode = 0755);
TarEntry TarDirectory(std::string path);
TarEntry TarSymlink(std::string path, std::string target);
TarEntry TarHardlink(std::string path, std::string target);
TarEntry TarSpecial(std::string path, TarEntry::Type type);  // a device or FIFO

// Returns a gzip-compressed tar archive holding `entries` in order.
std::string MakeTarGz(const std::vector<TarEntry>& entries);

// Returns etcd's description (dependency/etcd.h) placing `binaries`.
Provision EtcdPlacing(const std::vector<std::string>& binaries);

// Returns a release-layout tarball: <top>/etcd printing "etcd Version: <version>", <top>/etcdctl.
std::string FakeEtcdRelease(const std::string& version, const std::string& top = "etcd-v-test");

// Returns a dependency pinned to `body`, downloadable from `uri`.
Dependency MakeDependency(const std::string& version, const std::string& uri,
                          const std::string& body, const std::string& arch = "");

// A temp directory for a test; aborts the test when it cannot be created.
ScopedTempDir MakeTempDir();

void WriteFile(const fs::path& path, const std::string& content, fs::perms mode = fs::perms(0644));
std::string ReadFile(const fs::path& path);

// A self-signed EC certificate and its key, as PEM. `cn` empty means no Common Name at all.
struct TestCert {
  std::string cert_pem;
  std::string key_pem;
};
// `sans` is an OpenSSL subjectAltName value, e.g. "IP:127.0.0.1,DNS:localhost" (empty: none).
TestCert MakeTestCert(const std::string& cn, const std::string& sans = "");

// A certificate to make with MakeTestCertFrom: self-signed unless `issuer` is given.
struct TestCertSpec {
  std::string cn;
  std::string sans;                // as for MakeTestCert
  std::string extended_key_usage;  // OpenSSL's value, e.g. "serverAuth,clientAuth" (empty: none)
  bool ca = false;                 // basicConstraints CA:TRUE
  long valid_from = 0;             // seconds from now
  long valid_until = 3600;         // seconds from now
  const TestCert* issuer = nullptr;
};
TestCert MakeTestCertFrom(const TestCertSpec& spec);

// Services wired to fakes: the clock stands still and retries do not sleep (waits are recorded).
struct FakeServices {
  FakeFetcher fetcher;
  RecordingLogger log;
  std::vector<std::chrono::milliseconds> sleeps;
  Services Make();
};

}  // namespace bp::testing
