#include "base/curl_global.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include <mutex>

namespace bp {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr);
    curl_global_init(CURL_GLOBAL_DEFAULT);
  });
}

}  // namespace bp
