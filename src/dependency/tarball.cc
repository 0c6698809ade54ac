#include "dependency/tarball.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <system_error>

#include "base/strings.h"

namespace bp {

namespace {

struct ReadContext {
  ByteSource* source = nullptr;
  std::optional<Error> source_error;
};

la_ssize_t OnRead(struct archive* archive, void* user, const void** buffer) {
  auto* context = static_cast<ReadContext*>(user);
  Result<std::string_view> chunk = context->source->Read();
  if (!chunk.ok()) {
    context->source_error = chunk.error();
    archive_set_error(archive, EIO, "the download failed");
    return -1;
  }
  *buffer = chunk.value().data();
  return static_cast<la_ssize_t>(chunk.value().size());
}

Error Unsafe(std::string_view entry, std::string_view why) {
  return MakeError(ErrorKind::kInvalidInput,
                   "archive entry " + Quote(entry, 120) + " " + std::string(why),
                   "the archive is not a genuine release; check its source");
}

// Returns the entry's path components, dropping "." and empty ones, or an error for absolute
// paths and "..".
Result<std::vector<std::string>> SafeComponents(std::string_view path) {
  if (path.empty()) return Unsafe(path, "has an empty name");
  if (path.front() == '/') return Unsafe(path, "has an absolute path");
  std::vector<std::string> components;
  for (const std::string& part : SplitList(path, '/')) {
    if (part == ".") continue;
    if (part == "..") return Unsafe(path, "climbs out with \"..\"");
    components.push_back(part);
  }
  return components;
}

// A symlink must resolve inside the archive, starting from the directory that holds it.
Status CheckSymlink(std::string_view entry, std::vector<std::string> components,
                    std::string_view target) {
  if (target.empty() || target.front() == '/') return Unsafe(entry, "links outside the archive");
  components.pop_back();  // the link's own name
  for (const std::string& part : SplitList(target, '/')) {
    if (part == ".") continue;
    if (part == "..") {
      if (components.empty()) return Unsafe(entry, "links outside the archive");
      components.pop_back();
    } else {
      components.push_back(part);
    }
  }
  return Ok();
}

// Checks one entry; never writes.
Result<std::vector<std::string>> CheckEntry(struct archive_entry* entry) {
  const char* raw = archive_entry_pathname(entry);
  const std::string path = raw == nullptr ? "" : raw;
  Result<std::vector<std::string>> components = SafeComponents(path);
  if (!components.ok()) return components.error();
  if (const char* hardlink = archive_entry_hardlink(entry)) {
    Result<std::vector<std::string>> target = SafeComponents(hardlink);
    if (!target.ok()) return Unsafe(path, "hard-links outside the archive");
    return components;
  }
  switch (archive_entry_filetype(entry)) {
    case AE_IFREG:
    case AE_IFDIR:
      return components;
    case AE_IFLNK: {
      const char* target = archive_entry_symlink(entry);
      Status link = CheckSymlink(path, components.value(), target == nullptr ? "" : target);
      if (!link.ok()) return link.error();
      return components;
    }
    case AE_IFCHR:
    case AE_IFBLK:
      return Unsafe(path, "is a device file");
    case AE_IFIFO:
      return Unsafe(path, "is a FIFO");
    case AE_IFSOCK:
      return Unsafe(path, "is a socket");
    default:
      return Unsafe(path, "has an unknown type");
  }
}

Status WriteEntry(struct archive* archive, struct archive_entry* entry, const fs::path& target,
                  const ExtractRules& rules) {
  const std::string name = archive_entry_pathname(entry);
  if (archive_entry_hardlink(entry) != nullptr || archive_entry_filetype(entry) != AE_IFREG) {
    return Unsafe(name, "should be a regular file");
  }
  if (archive_entry_size_is_set(entry) &&
      static_cast<uint64_t>(archive_entry_size(entry)) > rules.max_file_bytes) {
    return Unsafe(name, "is larger than " + std::to_string(rules.max_file_bytes) + " bytes");
  }
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec)
    return MakeError(ErrorKind::kIo,
                     "cannot create " + target.parent_path().string() + ": " + ec.message());
  const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Unsafe(name, "appears twice");
    return MakeError(ErrorKind::kIo,
                     "cannot create " + target.string() + ": " + std::strerror(errno));
  }
  const bool executable = (archive_entry_perm(entry) & 0111) != 0;
  const int copied = archive_read_data_into_fd(archive, fd);
  const int mode_set = ::fchmod(fd, executable ? 0755 : 0644);
  const int closed = ::close(fd);
  if (copied != ARCHIVE_OK && copied != ARCHIVE_WARN) {
    const int err = archive_errno(archive);
    if (err == ENOSPC || err == EDQUOT || err == EIO || err == EROFS || err == EFBIG) {
      return MakeError(ErrorKind::kIo,
                       "cannot write " + target.string() + ": " + std::strerror(err));
    }
    return MakeError(ErrorKind::kInvalidInput,
                     "unpacking " + Quote(name, 120) + ": " + archive_error_string(archive));
  }
  if (mode_set != 0 || closed != 0) {
    return MakeError(ErrorKind::kIo,
                     "cannot write " + target.string() + ": " + std::strerror(errno));
  }
  return Ok();
}

}  // namespace

Result<ExtractReport> ExtractTarball(ByteSource& source, const fs::path& destination,
                                     const ExtractRules& rules) {
  std::unique_ptr<struct archive, int (*)(struct archive*)> archive(archive_read_new(),
                                                                    archive_read_free);
  if (!archive) return MakeError(ErrorKind::kInternal, "archive_read_new failed");
  archive_read_support_filter_gzip(archive.get());
  archive_read_support_format_tar(archive.get());
  ReadContext context{&source, std::nullopt};
  auto fail = [&](const std::string& what) -> Error {
    if (context.source_error) return *context.source_error;
    const char* why = archive_error_string(archive.get());
    return MakeError(ErrorKind::kInvalidInput,
                     what + ": " + (why == nullptr ? "unreadable data" : why),
                     "the file is not an intact .tar.gz; check its source");
  };
  if (archive_read_open(archive.get(), &context, nullptr, OnRead, nullptr) != ARCHIVE_OK) {
    return fail("cannot read the archive");
  }
  ExtractReport report;
  struct archive_entry* entry = nullptr;
  while (true) {
    const int next = archive_read_next_header(archive.get(), &entry);
    if (next == ARCHIVE_EOF) break;
    if (next != ARCHIVE_OK && next != ARCHIVE_WARN) return fail("corrupt archive");
    ++report.entries;
    Result<std::vector<std::string>> components = CheckEntry(entry);
    if (!components.ok()) return components.error();
    const std::vector<std::string>& parts = components.value();
    if (parts.size() <= static_cast<size_t>(rules.strip_components)) continue;
    std::vector<std::string> kept(parts.begin() + rules.strip_components, parts.end());
    const std::string placed = rules.place ? rules.place(Join(kept, "/")) : std::string();
    if (placed.empty()) continue;
    Status written = WriteEntry(archive.get(), entry, destination / placed, rules);
    if (!written.ok()) return context.source_error ? *context.source_error : written.error();
    report.placed.push_back(placed);
  }
  return report;
}

}  // namespace bp
