#include "dependency/fetcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;

class CountingSink : public ByteSink {
 public:
  Status Write(std::string_view chunk) override {
    bytes += chunk.size();
    return Ok();
  }
  size_t bytes = 0;
};

TEST(StreamFileTest, RefusesFifosAndDevicesWithoutBlocking) {
  ScopedTempDir tmp = testing::MakeTempDir();
  const fs::path fifo = tmp.path() / "etcd.tgz";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  CountingSink sink;
  Status from_fifo = StreamFile(fifo, sink);
  ASSERT_FALSE(from_fifo.ok());
  EXPECT_THAT(from_fifo.error().message, HasSubstr("is a FIFO, not a regular file"));
  Status from_zero = StreamFile("/dev/zero", sink);
  ASSERT_FALSE(from_zero.ok());
  EXPECT_THAT(from_zero.error().message,
              HasSubstr("cannot download: /dev/zero is a character device"));
  EXPECT_EQ(sink.bytes, 0u);
}

TEST(StreamFileTest, SizeLimitIsFinal) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "big", std::string(3 << 20, 'x'));
  CountingSink sink;
  Status status =
      StreamFile(tmp.path() / "big", sink, TransferLimits{2 << 20, std::chrono::seconds(60)});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kNetwork);  // not retried
  EXPECT_THAT(status.error().message, HasSubstr("more than 2 MB"));
  EXPECT_THAT(status.error().hint, HasSubstr("BP_DOWNLOAD_MAX_SIZE_MB"));
  EXPECT_EQ(sink.bytes, 0u);
  EXPECT_TRUE(
      StreamFile(tmp.path() / "big", sink, TransferLimits{3 << 20, std::chrono::seconds(60)}).ok());
}

TEST(StreamFileTest, DeadlineIsFinal) {
  ScopedTempDir tmp = testing::MakeTempDir();
  testing::WriteFile(tmp.path() / "f", std::string(1 << 20, 'x'));
  CountingSink sink;
  Status status =
      StreamFile(tmp.path() / "f", sink, TransferLimits{UINT64_MAX, std::chrono::milliseconds(-1)});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kNetwork);
  EXPECT_THAT(status.error().hint, HasSubstr("BP_DOWNLOAD_TIMEOUT"));
}

}  // namespace
}  // namespace bp
