# CMake toolchain file: cross-compile for a linux/<arch> of scripts/lib/platforms.sh on a Debian
# host with Debian's cross toolchain and multiarch libraries. scripts/lib/build-static.sh passes
# the platform's line:
#
#   cmake -S . -B build/static-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-cross.cmake \
#         -DBP_CROSS_TRIPLET=aarch64-linux-gnu -DBP_CROSS_QEMU=aarch64
#
# Needs (apt): gcc-<triplet> g++-<triplet> (with "_" as "-") and the <arch> -dev packages the
# project links (after `dpkg --add-architecture <arch>`); optional qemu-user-static to run the
# results (ctest, gtest_discover_tests). scripts/lib/static-curl.sh installs all of these.
#
# Libraries come from the multiarch dirs /usr/lib/<triplet> and /usr/include/<triplet> (Debian's
# cross gcc searches them itself; the sysroot is "/").

# CMake reads this file again for every try_compile, where only the environment survives.
if(BP_CROSS_TRIPLET)
  set(ENV{BP_CROSS_TRIPLET} "${BP_CROSS_TRIPLET}")
  set(ENV{BP_CROSS_QEMU} "${BP_CROSS_QEMU}")
else()
  set(BP_CROSS_TRIPLET "$ENV{BP_CROSS_TRIPLET}")
  set(BP_CROSS_QEMU "$ENV{BP_CROSS_QEMU}")
endif()
if(NOT BP_CROSS_TRIPLET)
  message(FATAL_ERROR "toolchain-cross.cmake needs -DBP_CROSS_TRIPLET=<triplet> (see scripts/lib/platforms.sh)")
endif()
set(_triplet ${BP_CROSS_TRIPLET})
string(REGEX MATCH "^[^-]+" _processor "${_triplet}")

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${_processor})

set(CMAKE_C_COMPILER   ${_triplet}-gcc)
set(CMAKE_CXX_COMPILER ${_triplet}-g++)
# binutils: let CMake find the prefixed tools next to the compiler, but be explicit
find_program(CMAKE_AR      ${_triplet}-ar)
find_program(CMAKE_RANLIB  ${_triplet}-ranlib)
find_program(CMAKE_STRIP   ${_triplet}-strip)
find_program(CMAKE_OBJCOPY ${_triplet}-objcopy)
find_program(CMAKE_OBJDUMP ${_triplet}-objdump)

# Debian multiarch: find_library() looks in <prefix>/lib/<triplet> (e.g.
# /usr/lib/aarch64-linux-gnu) before <prefix>/lib. The host's libraries are never searched.
set(CMAKE_LIBRARY_ARCHITECTURE ${_triplet})

# Search roots: "/" (multiarch host tree) plus the cross libc tree. Libraries, headers and
# packages only from these roots (re-rooting under "/" keeps absolute paths such as a static curl
# prefix usable); programs (tools that run during the build) from the host.
set(CMAKE_FIND_ROOT_PATH / /usr/${_triplet})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config (pkg_check_modules, and the hints FindOpenSSL/... take from it): only the target's
# .pc files, through the host pkg-config unless a <triplet>-pkg-config wrapper is installed.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${_triplet}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
if(EXISTS /usr/bin/${_triplet}-pkg-config)
  set(PKG_CONFIG_EXECUTABLE /usr/bin/${_triplet}-pkg-config CACHE FILEPATH "pkg-config for ${_triplet}")
endif()

# Run the target's binaries (try_run, ctest, gtest_discover_tests) through qemu, called directly
# (binfmt_misc is usually not available in containers). No "-L": dynamically linked programs
# find their loader and .so files through the multiarch packages; "-L /usr/<triplet>" made a
# dynamic arm64 program spin forever under qemu 7.2.
if(NOT DEFINED CMAKE_CROSSCOMPILING_EMULATOR AND BP_CROSS_QEMU)
  find_program(_qemu NAMES qemu-${BP_CROSS_QEMU}-static qemu-${BP_CROSS_QEMU}
               PATHS /usr/bin /usr/local/bin NO_CMAKE_FIND_ROOT_PATH)
  if(_qemu)
    set(CMAKE_CROSSCOMPILING_EMULATOR "${_qemu}" CACHE STRING "Emulator for running ${_triplet} binaries")
  endif()
endif()

unset(_triplet)
unset(_processor)
