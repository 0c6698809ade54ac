#include "proxy_config/pem_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/files.h"
#include "base/sha256.h"

namespace bp {

namespace {

// Creates `dir` 0700, or accepts it when it already is a real directory of ours with no group
// or other access (a symlink or someone else's directory in a shared /tmp is refused).
Status PrivateDirectory(const fs::path& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) return Ok();
  if (errno != EEXIST)
    return MakeError(ErrorKind::kIo, "cannot create " + dir.string() + ": " + std::strerror(errno));
  struct stat info {};
  if (::lstat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != ::geteuid()) {
    return MakeError(ErrorKind::kIo, dir.string() + " exists but is not this user's directory",
                     "remove it, or point TMPDIR at a private directory");
  }
  if ((info.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0) {
    return MakeError(ErrorKind::kIo,
                     "cannot make " + dir.string() + " private: " + std::strerror(errno));
  }
  return Ok();
}

// True when `path` is already our private regular file holding `pem`: then nothing is written,
// so a second helper with the same credentials never replaces a file the first one uses.
bool AlreadyHolds(const fs::path& path, const std::string& pem) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode) || info.st_uid != ::geteuid() ||
      (info.st_mode & 077) != 0) {
    return false;
  }
  Result<std::string> text = ReadSmallFile(path, kMaxSettingBytes);
  return text.ok() && text.value() == pem;
}

}  // namespace

fs::path PemDirectory(const fs::path& tmp, const ProxySettings& settings) {
  std::string key = "uid " + std::to_string(::geteuid());
  for (const std::optional<TlsFile>* file : {&settings.cacert, &settings.cert, &settings.key}) {
    key += '\0';
    if (*file) key += (*file)->pem;
  }
  return tmp /
         ("etcd-proxy-tls-" + std::to_string(::geteuid()) + "-" + Sha256Hex(key).substr(0, 16));
}

fs::path TempDir(const Env& env) { return env.GetSetting("TMPDIR").value_or("/tmp"); }

Result<ProxySettings> MaterializePemFiles(const ProxySettings& settings, const fs::path& dir,
                                          bool write) {
  ProxySettings out = settings;
  bool dir_ready = false;
  struct Slot {
    std::optional<TlsFile>* file;
    const char* name;
  };
  for (const Slot& slot :
       {Slot{&out.cacert, "ca.pem"}, Slot{&out.cert, "cert.pem"}, Slot{&out.key, "key.pem"}}) {
    if (!*slot.file || (*slot.file)->pem.empty()) continue;
    const fs::path path = dir / slot.name;
    if (write) {
      if (!dir_ready) {
        Status created = PrivateDirectory(dir);
        if (!created.ok()) return created.error();
        dir_ready = true;
      }
      if (!AlreadyHolds(path, (*slot.file)->pem)) {
        Status written = WriteFileAtomic(path, (*slot.file)->pem, fs::perms(0600));
        if (!written.ok()) return written.error();
      }
    }
    (*slot.file)->path = path.string();
    (*slot.file)->pem.clear();
  }
  return out;
}

}  // namespace bp
