#include "testing/test_util.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <fstream>
#include <sstream>

#include "base/sha256.h"
#include "base/url.h"
#include "dependency/etcd.h"

namespace bp::testing {

Status FakeFetcher::Fetch(const std::string& uri, ByteSink& sink) {
  requested.push_back(uri);
  if (const std::optional<std::string> path = FileUrlPath(uri)) return StreamFile(*path, sink);
  auto failure = failures.find(uri);
  if (failure != failures.end() && !failure->second.empty()) {
    Error error = failure->second.front();
    failure->second.erase(failure->second.begin());
    return error;
  }
  const auto body = bodies.find(uri);
  if (body == bodies.end())
    return MakeError(ErrorKind::kNetwork, "downloading " + uri + ": HTTP 404");
  for (size_t at = 0; at < body->second.size(); at += chunk_size) {
    Status written = sink.Write(std::string_view(body->second).substr(at, chunk_size));
    if (!written.ok()) return written;
  }
  return Ok();
}

bool RecordingLogger::Contains(std::string_view text) const {
  for (const std::string& line : lines_) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

namespace {

la_ssize_t AppendToString(struct archive*, void* user, const void* data, size_t size) {
  static_cast<std::string*>(user)->append(static_cast<const char*>(data), size);
  return static_cast<la_ssize_t>(size);
}

}  // namespace

TarEntry TarFile(std::string path, std::string content, int mode) {
  TarEntry entry;
  entry.path = std::move(path);
  entry.content = std::move(content);
  entry.mode = mode;
  return entry;
}

TarEntry TarDirectory(std::string path) {
  TarEntry entry;
  entry.path = std::move(path);
  entry.type = TarEntry::Type::kDirectory;
  return entry;
}

TarEntry TarSymlink(std::string path, std::string target) {
  TarEntry entry;
  entry.path = std::move(path);
  entry.target = std::move(target);
  entry.type = TarEntry::Type::kSymlink;
  return entry;
}

TarEntry TarHardlink(std::string path, std::string target) {
  TarEntry entry = TarSymlink(std::move(path), std::move(target));
  entry.type = TarEntry::Type::kHardlink;
  return entry;
}

TarEntry TarSpecial(std::string path, TarEntry::Type type) {
  TarEntry entry;
  entry.path = std::move(path);
  entry.type = type;
  return entry;
}

std::string MakeTarGz(const std::vector<TarEntry>& entries) {
  std::string out;
  struct archive* writer = archive_write_new();
  archive_write_add_filter_gzip(writer);
  archive_write_set_format_pax_restricted(writer);
  archive_write_set_bytes_in_last_block(writer, 1);
  archive_write_open(writer, &out, nullptr, AppendToString, nullptr);
  for (const TarEntry& e : entries) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.path.c_str());
    archive_entry_set_perm(entry, static_cast<mode_t>(e.mode));
    switch (e.type) {
      case TarEntry::Type::kFile:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_size(entry, static_cast<la_int64_t>(e.content.size()));
        break;
      case TarEntry::Type::kDirectory:
        archive_entry_set_filetype(entry, AE_IFDIR);
        break;
      case TarEntry::Type::kSymlink:
        archive_entry_set_filetype(entry, AE_IFLNK);
        archive_entry_set_symlink(entry, e.target.c_str());
        break;
      case TarEntry::Type::kHardlink:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_hardlink(entry, e.target.c_str());
        break;
      case TarEntry::Type::kCharDevice:
        archive_entry_set_filetype(entry, AE_IFCHR);
        archive_entry_set_rdev(entry, makedev(1, 3));
        break;
      case TarEntry::Type::kFifo:
        archive_entry_set_filetype(entry, AE_IFIFO);
        break;
    }
    archive_write_header(writer, entry);
    if (e.type == TarEntry::Type::kFile && !e.content.empty()) {
      archive_write_data(writer, e.content.data(), e.content.size());
    }
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
  return out;
}

Provision EtcdPlacing(const std::vector<std::string>& binaries) {
  BuildSettings settings;
  settings.etcd_binaries = binaries;
  return EtcdProvision(settings);
}

std::string FakeEtcdRelease(const std::string& version, const std::string& top) {
  const std::string etcd =
      "#!/bin/sh\necho 'etcd Version: " + version + "'\necho 'Git SHA: fake'\n";
  return MakeTarGz({
      TarDirectory(top),
      TarFile(top + "/etcd", etcd),
      TarFile(top + "/etcdctl", "#!/bin/sh\necho etcdctl\n"),
      TarFile(top + "/README.md", "fake release\n", 0644),
  });
}

Dependency MakeDependency(const std::string& version, const std::string& uri,
                          const std::string& body, const std::string& arch) {
  Dependency dep;
  dep.id = "etcd";
  dep.name = "etcd";
  dep.version = version;
  dep.uri = uri;
  dep.sha256 = Sha256Hex(body);
  dep.os = "linux";
  dep.arch = arch;
  dep.strip_components = 1;
  dep.licenses = {"Apache-2.0"};
  dep.purl = "pkg:generic/etcd@" + version;
  dep.cpes = {"cpe:2.3:a:etcd:etcd:" + version + ":*:*:*:*:*:*:*"};
  return dep;
}

ScopedTempDir MakeTempDir() {
  Result<ScopedTempDir> dir = ScopedTempDir::Create("", "bp-test-");
  if (!dir.ok()) {
    ADD_FAILURE() << dir.error().message;
    std::abort();
  }
  return std::move(dir).value();
}

void WriteFile(const fs::path& path, const std::string& content, fs::perms mode) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  fs::permissions(path, mode);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TestCert MakeTestCert(const std::string& cn, const std::string& sans) {
  TestCertSpec spec;
  spec.cn = cn;
  spec.sans = sans;
  return MakeTestCertFrom(spec);
}

TestCert MakeTestCertFrom(const TestCertSpec& spec) {
  static long serial = 1;
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert), spec.valid_from);
  X509_gmtime_adj(X509_getm_notAfter(cert), spec.valid_until);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("etcd-proxy-test"), -1, -1, 0);
  if (!spec.cn.empty()) {
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1, 0);
  }
  X509* issuer_cert = nullptr;
  EVP_PKEY* issuer_key = key;
  if (spec.issuer != nullptr) {
    BIO* cert_bio = BIO_new_mem_buf(spec.issuer->cert_pem.data(),
                                    static_cast<int>(spec.issuer->cert_pem.size()));
    BIO* key_bio =
        BIO_new_mem_buf(spec.issuer->key_pem.data(), static_cast<int>(spec.issuer->key_pem.size()));
    issuer_cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
    issuer_key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
    BIO_free(cert_bio);
    BIO_free(key_bio);
  }
  X509_set_issuer_name(cert, issuer_cert != nullptr ? X509_get_subject_name(issuer_cert) : name);
  const auto add = [&](int nid, const std::string& value) {
    if (value.empty()) return;
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, nullptr, nid, value.c_str());
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  };
  add(NID_subject_alt_name, spec.sans);
  add(NID_ext_key_usage, spec.extended_key_usage);
  add(NID_basic_constraints, spec.ca ? "critical,CA:TRUE" : "");
  X509_sign(cert, issuer_key, EVP_sha256());
  auto to_pem = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(length));
    BIO_free(bio);
    return pem;
  };
  TestCert out;
  out.cert_pem = to_pem([&](BIO* bio) { PEM_write_bio_X509(bio, cert); });
  out.key_pem = to_pem(
      [&](BIO* bio) { PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr); });
  if (issuer_cert != nullptr) {
    X509_free(issuer_cert);
    EVP_PKEY_free(issuer_key);
  }
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

Services FakeServices::Make() {
  RetryPolicy retry;
  retry.sleep = [this](std::chrono::milliseconds delay) { sleeps.push_back(delay); };
  return Services{fetcher, log, [] { return std::chrono::steady_clock::time_point(); },
                  [] { return std::chrono::system_clock::from_time_t(1700000000); }, retry};
}

}  // namespace bp::testing
