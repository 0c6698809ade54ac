#include "dependency/byte_stream.h"

#include <gtest/gtest.h>

#include <thread>

namespace bp {
namespace {

TEST(ByteChannelTest, CarriesEveryByteInOrderAcrossThreads) {
  ByteChannel channel(64);
  std::string sent;
  std::thread producer([&] {
    for (int i = 0; i < 2000; ++i) {
      const std::string chunk = std::to_string(i) + ",";
      sent += chunk;
      ASSERT_TRUE(channel.Write(chunk).ok());
    }
    channel.Finish(Ok());
  });
  std::string received;
  while (true) {
    Result<std::string_view> chunk = channel.Read();
    ASSERT_TRUE(chunk.ok());
    if (chunk.value().empty()) break;
    received += chunk.value();
  }
  producer.join();
  EXPECT_EQ(received, sent);
}

TEST(ByteChannelTest, ReportsTheProducersErrorAfterTheData) {
  ByteChannel channel(1024);
  ASSERT_TRUE(channel.Write("abc").ok());
  channel.Finish(MakeError(ErrorKind::kUnavailable, "reset"));
  EXPECT_EQ(channel.Read().value(), "abc");
  Result<std::string_view> after = channel.Read();
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().message, "reset");
}

TEST(ByteChannelTest, CancelUnblocksAWaitingProducer) {
  ByteChannel channel(4);
  ASSERT_TRUE(channel.Write("full").ok());
  Status blocked = Ok();
  std::thread producer([&] { blocked = channel.Write("more"); });
  channel.Cancel();
  producer.join();
  EXPECT_FALSE(blocked.ok());
}

TEST(StringSourceTest, ChunksThenEnds) {
  StringSource source("abcdefg", 3);
  EXPECT_EQ(source.Read().value(), "abc");
  EXPECT_EQ(source.Read().value(), "def");
  EXPECT_EQ(source.Read().value(), "g");
  EXPECT_TRUE(source.Read().value().empty());
}

}  // namespace
}  // namespace bp
