#include "dependency/curl_fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "base/clock.h"
#include "base/curl_global.h"
#include "base/strings.h"
#include "base/url.h"

namespace bp {

namespace {

struct Transfer {
  CURL* curl = nullptr;
  ByteSink* sink = nullptr;
  std::optional<Error> sink_error;
  std::chrono::milliseconds retry_after{0};
  // Stall detection: curl's own low-speed check averages over seconds of history, so a transfer
  // that stops after a burst is noticed late; this tracks the last byte instead.
  std::chrono::seconds stall_timeout{0};
  curl_off_t received = -1;
  std::chrono::steady_clock::time_point last_progress = std::chrono::steady_clock::now();
  bool stalled = false;
  // The overall bounds (TransferLimits): bytes accepted so far and when the transfer began.
  TransferLimits limits;
  uint64_t body_bytes = 0;
  bool too_large = false;
  bool past_deadline = false;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

long ResponseCode(CURL* curl) {
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  if (StartsWith(line, "HTTP/")) transfer->retry_after = std::chrono::milliseconds(0);
  if (StartsWith(ToLower(line.substr(0, 12)), "retry-after:")) {
    if (const std::optional<long> seconds = ParseCount(line.substr(12), 86400)) {
      transfer->retry_after = std::chrono::seconds(*seconds);
    }
  }
  return size * count;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t length = size * count;
  // Error bodies (and bodies of redirects) are not the artifact.
  const long code = ResponseCode(transfer->curl);
  if (code < 200 || code >= 300) return length;
  transfer->body_bytes += length;
  if (transfer->body_bytes > transfer->limits.max_bytes) {
    transfer->too_large = true;
    return 0;
  }
  Status written = transfer->sink->Write(std::string_view(data, length));
  if (written.ok()) return length;
  transfer->sink_error = written.error();
  return 0;  // makes curl stop with CURLE_WRITE_ERROR
}

int OnProgress(void* user, curl_off_t, curl_off_t downloaded, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  const auto now = std::chrono::steady_clock::now();
  if (now - transfer->started > transfer->limits.deadline) {
    transfer->past_deadline = true;
    return 1;
  }
  if (downloaded != transfer->received) {
    transfer->received = downloaded;
    transfer->last_progress = now;
    return 0;
  }
  if (now - transfer->last_progress < transfer->stall_timeout) return 0;
  transfer->stalled = true;
  return 1;  // makes curl stop with CURLE_ABORTED_BY_CALLBACK
}

bool IsTransient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

Error HttpStatusError(const std::string& shown, long code) {
  const bool transient = code == 408 || code == 429 || code >= 500;
  Error error = MakeError(transient ? ErrorKind::kUnavailable : ErrorKind::kNetwork,
                          "downloading " + shown + ": HTTP " + std::to_string(code));
  if (code == 401 || code == 403)
    error.hint = "check the credentials or access rules of the download server";
  if (code == 404) error.hint = "check the uri in buildpack.toml or the mirror settings";
  return error;
}

Error CurlError(const std::string& shown, CURLcode code, const char* detail) {
  // curl's detail text names hosts and ports, not credentials; drop it if it looks otherwise.
  std::string reason =
      detail[0] != '\0' && std::string_view(detail).find('@') == std::string_view::npos
          ? detail
          : curl_easy_strerror(code);
  Error error = MakeError(IsTransient(code) ? ErrorKind::kUnavailable : ErrorKind::kNetwork,
                          "downloading " + shown + ": " + reason);
  if (code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE) {
    error.hint =
        "set SSL_CERT_FILE (or SSL_CERT_DIR) to CA certificates that sign the server's certificate";
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    error.hint = "the server did not answer in time; BP_DOWNLOAD_CONNECT_TIMEOUT sets the limit";
  }
  return error;
}

// Sets what every transfer does: protocols, redirects, timeouts and bounds, and the callbacks
// that feed `transfer`.
void SetTransferOptions(CURL* c, const std::string& uri, const DownloadSettings& settings,
                        Transfer* transfer, char* detail) {
  curl_easy_setopt(c, CURLOPT_URL, uri.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings.connect_timeout.count()));
  // A declared Content-Length over the limit fails before any byte; the body count catches the
  // rest.
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(transfer->limits.max_bytes));
  // A backstop only: the progress callback enforces the deadline with its own message.
  curl_easy_setopt(
      c, CURLOPT_TIMEOUT_MS,
      static_cast<long>(
          std::min<long long>(transfer->limits.deadline.count(), 7LL * 24 * 3600 * 1000) + 5000));
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, transfer);
  curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 256L * 1024L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, settings.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, transfer);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, transfer);
}

// Set explicitly (even to "") so only this buildpack's environment decides the proxy and the
// trusted CAs.
void SetProxyAndTrust(CURL* c, const DownloadSettings& settings, const std::string& scheme) {
  const std::string proxy = ProxyForScheme(settings, scheme);
  curl_easy_setopt(c, CURLOPT_PROXY, proxy.c_str());
  curl_easy_setopt(c, CURLOPT_NOPROXY, settings.no_proxy.c_str());
  if (!settings.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, settings.ca_file.c_str());
  if (!settings.ca_dir.empty()) curl_easy_setopt(c, CURLOPT_CAPATH, settings.ca_dir.c_str());
}

// Returns how a finished transfer went, most telling reason first: the bounds it tripped, the
// sink's own error, a stall, curl's error, the HTTP status.
Status TransferOutcome(const Transfer& transfer, CURLcode code, const char* detail,
                       const std::string& shown) {
  const TransferLimits& limits = transfer.limits;
  if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED)
    return TooLargeError(shown, limits.max_bytes);
  if (transfer.past_deadline ||
      (code == CURLE_OPERATION_TIMEDOUT &&
       std::chrono::steady_clock::now() - transfer.started >= limits.deadline)) {
    return DeadlineError(shown, limits.deadline);
  }
  if (transfer.sink_error) return *transfer.sink_error;
  if (transfer.stalled) {
    return MakeError(
        ErrorKind::kUnavailable,
        "downloading " + shown + ": no data for " + FormatDuration(transfer.stall_timeout),
        "the server stopped sending; BP_DOWNLOAD_STALL_TIMEOUT sets how long to wait");
  }
  if (code != CURLE_OK) return CurlError(shown, code, detail);
  const long status = ResponseCode(transfer.curl);
  if (status < 200 || status >= 300) return HttpStatusError(shown, status);
  return Ok();
}

}  // namespace

CurlFetcher::CurlFetcher(DownloadSettings settings) : settings_(std::move(settings)) {
  InitCurlOnce();
}

Status CurlFetcher::Fetch(const std::string& uri, ByteSink& sink) {
  requested_wait_ = std::chrono::milliseconds(0);
  const TransferLimits limits = TransferLimitsFrom(settings_);
  if (const std::optional<std::string> path = FileUrlPath(uri))
    return StreamFile(*path, sink, limits);
  const std::string shown = RedactUrl(uri);
  const std::optional<Url> url = ParseUrl(uri);
  if (!url || (url->scheme != "http" && url->scheme != "https")) {
    return MakeError(ErrorKind::kInvalidInput,
                     "cannot download " + shown + ": only http, https and file URLs are supported");
  }
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return MakeError(ErrorKind::kInternal, "curl_easy_init failed");
  Transfer transfer;
  transfer.curl = curl.get();
  transfer.sink = &sink;
  transfer.stall_timeout = settings_.stall_timeout;
  transfer.limits = limits;
  char detail[CURL_ERROR_SIZE] = {0};
  SetTransferOptions(curl.get(), uri, settings_, &transfer, detail);
  SetProxyAndTrust(curl.get(), settings_, url->scheme);
  const CURLcode code = curl_easy_perform(curl.get());
  Status outcome = TransferOutcome(transfer, code, detail, shown);
  // Only a server's answer carries a Retry-After worth honouring.
  if (!outcome.ok() && code == CURLE_OK) requested_wait_ = transfer.retry_after;
  return outcome;
}

}  // namespace bp
