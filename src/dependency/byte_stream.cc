#include "dependency/byte_stream.h"

#include <algorithm>

namespace bp {

Result<std::string_view> StringSource::Read() {
  const size_t n = std::min(chunk_size_, data_.size() - offset_);
  const std::string_view chunk(data_.data() + offset_, n);
  offset_ += n;
  return chunk;
}

Status ByteChannel::Write(std::string_view chunk) {
  if (chunk.empty()) return Ok();
  std::unique_lock<std::mutex> lock(mutex_);
  // A chunk larger than the capacity is still accepted once the channel is empty.
  changed_.wait(
      lock, [&] { return cancelled_ || buffered_ == 0 || buffered_ + chunk.size() <= capacity_; });
  if (cancelled_) return MakeError(ErrorKind::kInternal, "the consumer stopped reading");
  chunks_.emplace_back(chunk);
  buffered_ += chunk.size();
  changed_.notify_all();
  return Ok();
}

void ByteChannel::Finish(Status status) {
  std::lock_guard<std::mutex> lock(mutex_);
  finished_ = true;
  if (!status.ok()) producer_error_ = status.error();
  changed_.notify_all();
}

Result<std::string_view> ByteChannel::Read() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return !chunks_.empty() || finished_ || cancelled_; });
  if (chunks_.empty()) {
    if (producer_error_) return *producer_error_;
    return std::string_view();
  }
  current_ = std::move(chunks_.front());
  chunks_.pop_front();
  buffered_ -= current_.size();
  changed_.notify_all();
  return std::string_view(current_);
}

void ByteChannel::Cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  cancelled_ = true;
  chunks_.clear();
  buffered_ = 0;
  changed_.notify_all();
}

}  // namespace bp
