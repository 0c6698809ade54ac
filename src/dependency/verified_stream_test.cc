#include "dependency/verified_stream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/sha256.h"
#include "testing/test_util.h"

namespace bp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using testing::FakeFetcher;

StreamConsumer ReadN(size_t limit, std::string* seen) {
  return [=](ByteSource& source) -> Status {
    while (seen->size() < limit) {
      Result<std::string_view> chunk = source.Read();
      if (!chunk.ok()) return chunk.error();
      if (chunk.value().empty()) break;
      seen->append(chunk.value());
    }
    return Ok();
  };
}

TEST(StreamVerifiedTest, HashesEverythingEvenWhatTheConsumerSkips) {
  FakeFetcher fetcher;
  const std::string body(300000, 'z');
  fetcher.bodies["https://x/a"] = body;
  std::string seen;
  Result<StreamReport> report =
      StreamVerified(fetcher, "https://x/a", Sha256Hex(body), ReadN(10, &seen));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report.value().bytes, body.size());
  EXPECT_EQ(report.value().sha256, Sha256Hex(body));
  EXPECT_LT(seen.size(), body.size());
}

TEST(StreamVerifiedTest, MismatchNamesUriExpectedAndActualWithoutCredentials) {
  FakeFetcher fetcher;
  fetcher.bodies["https://user:secret@x/a"] = "evil";
  std::string seen;
  const std::string expected(64, '0');
  Result<StreamReport> report =
      StreamVerified(fetcher, "https://user:secret@x/a", expected, ReadN(100, &seen));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::kChecksum);
  const std::string& m = report.error().message;
  EXPECT_THAT(m, HasSubstr("https://***@x/a"));
  EXPECT_THAT(m, HasSubstr(expected));
  EXPECT_THAT(m, HasSubstr(Sha256Hex("evil")));
  EXPECT_THAT(m, Not(HasSubstr("secret")));
}

TEST(StreamVerifiedTest, ChecksumExplainsAConsumerFailureOnForeignBytes) {
  FakeFetcher fetcher;
  fetcher.bodies["u"] = "not a tarball";
  auto failing = [](ByteSource&) -> Status {
    return MakeError(ErrorKind::kInvalidInput, "corrupt archive");
  };
  Result<StreamReport> wrong = StreamVerified(fetcher, "u", std::string(64, '0'), failing);
  EXPECT_EQ(wrong.error().kind, ErrorKind::kChecksum);
  Result<StreamReport> pinned = StreamVerified(fetcher, "u", Sha256Hex("not a tarball"), failing);
  EXPECT_EQ(pinned.error().kind, ErrorKind::kInvalidInput);
}

TEST(StreamVerifiedTest, TransferErrorWinsAndCopyIsWrittenOnlyWhenAsked) {
  FakeFetcher fetcher;
  fetcher.failures["u"] = {MakeError(ErrorKind::kUnavailable, "HTTP 503")};
  fetcher.bodies["u"] = "data";
  std::string seen;
  Result<StreamReport> failed = StreamVerified(fetcher, "u", Sha256Hex("data"), ReadN(100, &seen));
  EXPECT_EQ(failed.error().kind, ErrorKind::kUnavailable);
  ScopedTempDir tmp = testing::MakeTempDir();
  Result<StreamReport> ok =
      StreamVerified(fetcher, "u", Sha256Hex("data"), ReadN(100, &seen), tmp.path() / "copy");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(testing::ReadFile(tmp.path() / "copy"), "data");
}

}  // namespace
}  // namespace bp
