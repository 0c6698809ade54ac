// Byte streams between the download and its consumers. A Fetcher pushes into a ByteSink; an
// extractor pulls from a ByteSource; a ByteChannel joins the two across threads with a bounded
// buffer, so a download is hashed and unpacked while it arrives and memory stays flat.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace bp {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // Consumes the next chunk; an error aborts the transfer with that error.
  virtual Status Write(std::string_view chunk) = 0;
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Returns the next chunk, valid until the next call; an empty chunk means the end.
  virtual Result<std::string_view> Read() = 0;
};

// A ByteSource over bytes in memory, for tests and small inputs.
class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string data, size_t chunk_size = 65536)
      : data_(std::move(data)), chunk_size_(chunk_size) {}
  Result<std::string_view> Read() override;

 private:
  std::string data_;
  size_t chunk_size_;
  size_t offset_ = 0;
};

// A single-producer, single-consumer channel holding at most `capacity` bytes in flight.
class ByteChannel : public ByteSink, public ByteSource {
 public:
  explicit ByteChannel(size_t capacity) : capacity_(capacity) {}

  // Producer: appends a copy of `chunk`, waiting while the channel is full. Fails once the
  // consumer has cancelled.
  Status Write(std::string_view chunk) override;
  // Producer: no more data; `status` is the transfer's outcome, which Read() reports.
  void Finish(Status status);

  // Consumer: waits for the next chunk; an error when the producer finished with one.
  Result<std::string_view> Read() override;
  // Consumer: stop; a waiting or later Write() fails.
  void Cancel();

 private:
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> chunks_;
  size_t buffered_ = 0;
  bool finished_ = false;
  bool cancelled_ = false;
  std::optional<Error> producer_error_;
  std::string current_;  // the chunk the consumer is reading
};

}  // namespace bp
