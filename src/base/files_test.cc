#include "base/files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "testing/test_util.h"

namespace bp {
namespace {

TEST(FilesTest, WriteFileAtomicReplacesWithMode) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const fs::path f = tmp.path() / "f";
  ASSERT_TRUE(WriteFileAtomic(f, "one").ok());
  ASSERT_TRUE(WriteFileAtomic(f, "two", fs::perms(0600)).ok());
  EXPECT_EQ(testing::ReadFile(f), "two");
  EXPECT_EQ(fs::status(f).permissions(), fs::perms(0600));
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1);
  EXPECT_FALSE(WriteFileAtomic(tmp.path() / "no/such/dir/f", "x").ok());
}

TEST(FilesTest, ReadSmallFileEnforcesTheLimit) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "f", "12345");
  EXPECT_EQ(ReadSmallFile(tmp.path() / "f", 5).value(), "12345");
  EXPECT_EQ(ReadSmallFile(tmp.path() / "f", 4).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(ReadSmallFile(tmp.path() / "missing", 4).error().kind, ErrorKind::kIo);
}

TEST(FilesTest, ReadSmallFileReadsOnlyRegularFilesAndNeverBlocks) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const fs::path fifo = tmp.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Result<std::string> from_fifo =
      ReadSmallFile(fifo, 100);  // would block forever without O_NONBLOCK
  ASSERT_FALSE(from_fifo.ok());
  EXPECT_EQ(from_fifo.error().message, fifo.string() + " is a FIFO, not a regular file");
  EXPECT_EQ(ReadSmallFile("/dev/zero", 100).error().message,
            "/dev/zero is a character device, not a regular file");
  EXPECT_EQ(ReadSmallFile(tmp.path(), 100).error().kind, ErrorKind::kInvalidInput);
  testing::WriteFile(tmp.path() / "secret", "TOPSECRET");
  fs::create_symlink(tmp.path() / "secret",
                     tmp.path() / "link");  // Kubernetes' ..data links are followed
  EXPECT_EQ(ReadSmallFile(tmp.path() / "link", 100).value(), "TOPSECRET");
  Result<std::string> large = ReadSmallFile(tmp.path() / "link", 4);
  EXPECT_EQ(large.error().message, (tmp.path() / "link").string() + " is larger than 4 bytes");
}

TEST(FilesTest, ReplaceDirectorySwapsTrees) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "target/old", "o");
  testing::WriteFile(tmp.path() / "staged/new", "n");
  ASSERT_TRUE(ReplaceDirectory(tmp.path() / "staged", tmp.path() / "target").ok());
  EXPECT_TRUE(fs::exists(tmp.path() / "target/new"));
  EXPECT_FALSE(fs::exists(tmp.path() / "target/old"));
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1);
}

TEST(FilesTest, SymlinkAtomicAndCopy) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "a", "A");
  ASSERT_TRUE(SymlinkAtomic("a", tmp.path() / "l").ok());
  ASSERT_TRUE(SymlinkAtomic("b", tmp.path() / "l").ok());
  EXPECT_EQ(fs::read_symlink(tmp.path() / "l"), "b");
  ASSERT_TRUE(CopyFileAtomic(tmp.path() / "a", tmp.path() / "c", fs::perms(0755)).ok());
  EXPECT_EQ(testing::ReadFile(tmp.path() / "c"), "A");
  EXPECT_EQ(fs::status(tmp.path() / "c").permissions(), fs::perms(0755));
  EXPECT_FALSE(CopyFileAtomic(tmp.path() / "missing", tmp.path() / "d", fs::perms(0644)).ok());
}

TEST(FilesTest, ScopedTempDirRemovesUnlessReleased) {
  fs::path kept;
  fs::path removed;
  {
    ScopedTempDir a = testing::MakeTempDir();
    ScopedTempDir b = testing::MakeTempDir();
    removed = a.path();
    kept = b.Release();
  }
  EXPECT_FALSE(fs::exists(removed));
  EXPECT_TRUE(fs::exists(kept));
  fs::remove_all(kept);
}

}  // namespace
}  // namespace bp
