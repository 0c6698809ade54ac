#include "base/sha256.h"

#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace bp {
namespace {

TEST(Sha256Test, KnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, IncrementalEqualsOneShotAndFile) {
  const std::string data(100000, 'q');
  Sha256 hasher;
  for (size_t i = 0; i < data.size(); i += 777)
    hasher.Update(std::string_view(data).substr(i, 777));
  const std::string digest = hasher.HexDigest();
  EXPECT_EQ(digest, Sha256Hex(data));
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "f", data);
  EXPECT_EQ(Sha256File(tmp.path() / "f").value(), digest);
  EXPECT_FALSE(Sha256File(tmp.path() / "missing").ok());
}

}  // namespace
}  // namespace bp
