// The real Fetcher: libcurl for http(s) (redirects, proxies, custom CAs, connect and stall
// timeouts), plain reads for file://. Classifies failures: 408, 429, 5xx and network errors
// are kUnavailable (retryable, with the server's Retry-After); other HTTP errors are final.
#pragma once

#include "dependency/download_settings.h"
#include "dependency/fetcher.h"

namespace bp {

class CurlFetcher : public Fetcher {
 public:
  explicit CurlFetcher(DownloadSettings settings);
  Status Fetch(const std::string& uri, ByteSink& sink) override;
  std::chrono::milliseconds RequestedWait() const override { return requested_wait_; }

 private:
  DownloadSettings settings_;
  std::chrono::milliseconds requested_wait_{0};
};

}  // namespace bp
