// One-time process setup for libcurl and OpenSSL, shared by every HTTP user.
#pragma once

namespace bp {

// Initialises OpenSSL without reading the machine's openssl.cnf (a static binary runs on
// images whose OpenSSL configuration may name providers it cannot load), then libcurl.
// Safe to call from several places; only the first call does anything.
void InitCurlOnce();

}  // namespace bp
