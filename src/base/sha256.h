// SHA-256 with OpenSSL's EVP interface, fed incrementally so downloads are hashed in flight.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bp {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // Returns the lowercase hex digest; the hasher must not be updated afterwards.
  std::string HexDigest();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Returns the lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Returns the lowercase hex SHA-256 of the file at `path`.
Result<std::string> Sha256File(const std::filesystem::path& path);

}  // namespace bp
