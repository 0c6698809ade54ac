# Fully static executables (BP_STATIC): the minimal libcurl that scripts/lib/static-curl.sh builds
# from Debian's curl source, and Debian's libarchive.a, libssl.a, libcrypto.a and libz.a. libarchive
# is only asked for tar + gzip, so nothing else of its optional libraries is pulled in.
# Included before find_package(OpenSSL), so that OpenSSL resolves to its static libraries.
if(NOT BP_CURL_PREFIX OR NOT EXISTS "${BP_CURL_PREFIX}/lib/libcurl.a")
  message(FATAL_ERROR "BP_STATIC needs -DBP_CURL_PREFIX=<prefix made by scripts/lib/static-curl.sh>")
endif()
if(TARGET OpenSSL::SSL)
  message(FATAL_ERROR "include cmake/static.cmake before find_package(OpenSSL)")
endif()
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)      # only archives from here on
set(OPENSSL_USE_STATIC_LIBS TRUE)
set(ZLIB_USE_STATIC_LIBS TRUE)           # CMake >= 3.24 (suffix list above covers older)
find_package(ZLIB REQUIRED)
find_library(BP_LIBARCHIVE_A NAMES archive REQUIRED)   # /usr/lib/<triplet>/libarchive.a
find_path(BP_LIBARCHIVE_INCLUDE archive.h REQUIRED)
# IMPORTED targets (not plain paths) so that CMake knows libcurl.a/libarchive.a
# need libssl/libcrypto/libz and always puts those after them on the link line.
add_library(bp_static_curl STATIC IMPORTED)
set_target_properties(bp_static_curl PROPERTIES
  IMPORTED_LOCATION "${BP_CURL_PREFIX}/lib/libcurl.a"
  INTERFACE_INCLUDE_DIRECTORIES "${BP_CURL_PREFIX}/include"
  INTERFACE_COMPILE_DEFINITIONS CURL_STATICLIB
  INTERFACE_LINK_LIBRARIES "OpenSSL::SSL;OpenSSL::Crypto;ZLIB::ZLIB;Threads::Threads")
add_library(bp_static_archive STATIC IMPORTED)
# tar + gzip only needs zlib. archive_write_disk_* would also need libacl.a (libacl1-dev).
set_target_properties(bp_static_archive PROPERTIES
  IMPORTED_LOCATION "${BP_LIBARCHIVE_A}"
  INTERFACE_INCLUDE_DIRECTORIES "${BP_LIBARCHIVE_INCLUDE}"
  INTERFACE_LINK_LIBRARIES ZLIB::ZLIB)
add_library(bp_curl INTERFACE)
target_link_libraries(bp_curl INTERFACE bp_static_curl)
add_library(bp_archive INTERFACE)
target_link_libraries(bp_archive INTERFACE bp_static_archive)
