// Safe extraction of a .tar.gz stream with libarchive. Every entry is checked, including the
// ones not extracted: absolute paths, ".." components, links that point outside the archive,
// device files, FIFOs and sockets make the whole archive unacceptable. Only the entries the
// caller places are written, as new regular files (never through an existing path or link).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "dependency/byte_stream.h"

namespace bp {

namespace fs = std::filesystem;

struct ExtractRules {
  int strip_components = 0;
  // Maps an entry's path (after stripping) to where it goes under the destination, or "" to
  // leave it out. Only regular-file entries are placed.
  std::function<std::string(std::string_view)> place;
  uint64_t max_file_bytes = uint64_t{1} << 30;  // a decompression bomb stops here
};

struct ExtractReport {
  std::vector<std::string> placed;  // destination-relative paths written
  uint64_t entries = 0;
};

// Reads a gzip-compressed (or plain) tar archive from `source` and writes the placed entries
// under `destination`, which must exist. kInvalidInput names the offending entry.
Result<ExtractReport> ExtractTarball(ByteSource& source, const fs::path& destination,
                                     const ExtractRules& rules);

}  // namespace bp
