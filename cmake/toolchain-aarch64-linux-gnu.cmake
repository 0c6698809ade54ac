# CMake toolchain file: cross-compile for linux/arm64 (aarch64) on a Debian
# amd64 host with Debian's cross toolchain and multiarch arm64 libraries.
#
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64-linux-gnu.cmake
#
# Needs (apt): gcc-aarch64-linux-gnu g++-aarch64-linux-gnu and the arm64 -dev
# packages the project links (after `dpkg --add-architecture arm64`), e.g.
# libssl-dev:arm64 zlib1g-dev:arm64 libarchive-dev:arm64; optional
# qemu-user-static to run arm64 binaries (ctest, gtest_discover_tests).
# scripts/lib/static-curl.sh arm64 ... installs all of these.
#
# Libraries come from the multiarch dirs /usr/lib/aarch64-linux-gnu and
# /usr/include/aarch64-linux-gnu (Debian's cross gcc searches them itself;
# the sysroot is "/").

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(_triplet aarch64-linux-gnu)

set(CMAKE_C_COMPILER   ${_triplet}-gcc)
set(CMAKE_CXX_COMPILER ${_triplet}-g++)
# binutils: let CMake find the prefixed tools next to the compiler, but be explicit
find_program(CMAKE_AR      ${_triplet}-ar)
find_program(CMAKE_RANLIB  ${_triplet}-ranlib)
find_program(CMAKE_STRIP   ${_triplet}-strip)
find_program(CMAKE_OBJCOPY ${_triplet}-objcopy)
find_program(CMAKE_OBJDUMP ${_triplet}-objdump)

# Debian multiarch: find_library() looks in <prefix>/lib/aarch64-linux-gnu
# (e.g. /usr/lib/aarch64-linux-gnu) before <prefix>/lib. The host's
# /usr/lib/x86_64-linux-gnu is never searched.
set(CMAKE_LIBRARY_ARCHITECTURE ${_triplet})

# Search roots: "/" (multiarch host tree) plus the cross libc tree. Libraries,
# headers and packages only from these roots (re-rooting under "/" keeps
# absolute paths such as a static curl prefix usable); programs (tools that run
# during the build) from the host.
set(CMAKE_FIND_ROOT_PATH / /usr/${_triplet})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config (pkg_check_modules, and the hints FindOpenSSL/FindCURL/... take
# from it): only the arm64 .pc files. There is no aarch64-linux-gnu-pkg-config
# wrapper unless pkgconf:arm64 is installed, so use the host pkg-config with
# the arm64 search path. (Only affects configure time, which is when
# pkg-config runs.)
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${_triplet}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
if(EXISTS /usr/bin/${_triplet}-pkg-config)
  set(PKG_CONFIG_EXECUTABLE /usr/bin/${_triplet}-pkg-config CACHE FILEPATH "pkg-config for ${_triplet}")
endif()

# Run arm64 binaries (try_run, ctest, gtest_discover_tests) through qemu.
# binfmt_misc is usually not available in containers, so call qemu directly.
# No "-L": dynamically linked arm64 binaries find /lib/ld-linux-aarch64.so.1
# and their .so files through the multiarch libc6:arm64 etc. (pulled in by the
# arm64 -dev packages). "-L /usr/aarch64-linux-gnu" made a dynamic arm64
# program spin forever under qemu 7.2 here.
if(NOT DEFINED CMAKE_CROSSCOMPILING_EMULATOR)
  find_program(_qemu_aarch64 NAMES qemu-aarch64-static qemu-aarch64
               PATHS /usr/bin /usr/local/bin NO_CMAKE_FIND_ROOT_PATH)
  if(_qemu_aarch64)
    set(CMAKE_CROSSCOMPILING_EMULATOR "${_qemu_aarch64}"
        CACHE STRING "Emulator for running ${_triplet} binaries")
  endif()
endif()

unset(_triplet)
