#include "cnb/app_evidence.h"

#include <algorithm>
#include <array>
#include <deque>
#include <system_error>
#include <vector>

#include "base/files.h"
#include "base/strings.h"
#include "manifests/etcd_clients.h"

namespace bp {

namespace {

// Installed dependencies, build output and virtualenvs: what is in there is not the app's
// declaration (node_modules/x/package.json is x's), and such trees are large.
constexpr std::array<const char*, 11> kSkippedDirectories = {
    "node_modules", "bower_components", "vendor",       "target", "build", "dist", "bin", "obj",
    "venv",         "__pycache__",      "site-packages"};

bool Skipped(const std::string& name) {
  return StartsWith(name, ".") || std::find(kSkippedDirectories.begin(), kSkippedDirectories.end(),
                                            name) != kSkippedDirectories.end();
}

struct Walk {
  const fs::path& root;
  const ManifestScanLimits& limits;
  size_t entries = 0;
  size_t manifests = 0;
  std::uintmax_t bytes = 0;

  // Returns the names in `dir`, sorted, within the entry budget.
  std::vector<std::string> List(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end && entries < limits.max_entries;
         it.increment(ec)) {
      ++entries;
      names.push_back(it->path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  std::optional<std::string> ClientIn(const fs::path& path, ManifestKind kind) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec) || manifests >= limits.max_manifests) return std::nullopt;
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec || size > limits.max_manifest_bytes || bytes + size > limits.max_total_bytes)
      return std::nullopt;
    ++manifests;
    bytes += size;
    Result<std::string> text = ReadSmallFile(path, limits.max_manifest_bytes);
    if (!text.ok()) return std::nullopt;
    return EtcdClientIn(kind, text.value());
  }

  std::optional<ClientEvidence> Run() {
    std::deque<std::pair<fs::path, int>> queue{{fs::path(), 0}};
    while (!queue.empty()) {
      const auto [relative, depth] = queue.front();
      queue.pop_front();
      std::vector<fs::path> subdirectories;
      for (const std::string& name : List(root / relative)) {
        const fs::path path = root / relative / name;
        std::error_code ec;
        if (fs::symlink_status(path, ec).type() == fs::file_type::directory) {
          if (depth < limits.max_depth && !Skipped(name)) subdirectories.push_back(relative / name);
        } else if (const std::optional<ManifestKind> kind = ManifestKindOf(name)) {
          if (std::optional<std::string> client = ClientIn(path, *kind))
            return ClientEvidence{*client, relative / name};
        }
      }
      for (fs::path& subdirectory : subdirectories)
        queue.emplace_back(std::move(subdirectory), depth + 1);
    }
    return std::nullopt;
  }
};

}  // namespace

std::optional<ClientEvidence> FindEtcdClientInApp(const fs::path& app_dir,
                                                  const ManifestScanLimits& limits) {
  return Walk{app_dir, limits}.Run();
}

}  // namespace bp
