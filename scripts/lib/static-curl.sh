#!/usr/bin/env bash
# static-curl.sh — build a minimal, static libcurl (HTTP/HTTPS only, OpenSSL, zlib)
# from Debian's own curl source package, for amd64 or arm64 (cross).
#
# Usage: static-curl.sh <arch> <prefix-dir> <work-dir>   (an architecture of platforms.sh)
#
#   <prefix-dir>  receives include/curl/*.h, lib/libcurl.a, lib/pkgconfig/libcurl.pc
#   <work-dir>    scratch: private apt config + lists, downloaded source, build tree
#
# Also makes sure the apt packages needed for the rest of the fully static
# link are installed (see docs/static-build.md), with common.sh's
# ensure_packages: libssl-dev, zlib1g-dev, libarchive-dev, libacl1-dev for
# <arch>; for a foreign arch the Debian cross gcc/g++ and qemu-user-static.
#
# Idempotent: if <prefix-dir>/lib/libcurl.a exists and the stamp file records
# the same arch + curl source version + sha256 of this script, exit 0 at once.
#
# Environment (all optional):
#   STATIC_CURL_VERSION   Debian source version of curl to build (default: the
#                         candidate version of the binary package libcurl4 in
#                         the system's apt lists, i.e. what Debian ships now)
#   STATIC_CURL_JOBS      make -j value (default: nproc)
#   BP_DEPS_CACHE         a folder outside the checkout where finished builds are kept, one per
#                         arch + curl source version + sha256 of this script, and copied from by
#                         the next clone on the same machine (default: ~/.cache/etcdproxy-buildpack;
#                         empty: no cache). A fresh clone then skips the ~2 min build.
#
# The system's apt sources are never modified: deb-src lines go into a private
# sources directory under <work-dir>.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -eq 3 ] || die "usage: $0 <arch> <prefix-dir> <work-dir>"
ARCH=$1
PREFIX_IN=$2
WORK_IN=$3
TRIPLET=$(platform_triplet "$ARCH") || exit 1

mkdir -p "$PREFIX_IN" "$WORK_IN"
PREFIX=$(cd "$PREFIX_IN" && pwd -P)
WORK=$(cd "$WORK_IN" && pwd -P)
SCRIPT_PATH=$(readlink -f "${BASH_SOURCE[0]}")
SCRIPT_HASH=$(sha256sum "$SCRIPT_PATH" | cut -d' ' -f1)
STAMP="$PREFIX/.static-curl.stamp"
HOST_ARCH=$(dpkg --print-architecture)
JOBS=${STATIC_CURL_JOBS:-$(nproc)}
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

if [ "$ARCH" = "$HOST_ARCH" ]; then
  CROSS=0
  CC_BIN=gcc
else
  CROSS=1
  CC_BIN=$TRIPLET-gcc
fi

# Serialise concurrent runs sharing a work dir (e.g. amd64 + arm64 in parallel).
exec 9>"$WORK/.static-curl.lock"
flock 9

# ---------------------------------------------------------------- packages ---
# Library packages are arch-qualified; tools are host packages.
TRIPLET_PKG=${TRIPLET//_/-}          # x86-64-linux-gnu / aarch64-linux-gnu
PKGS=(make dpkg-dev xz-utils patch pkg-config
      "libssl-dev:$ARCH" "zlib1g-dev:$ARCH" "libarchive-dev:$ARCH" "libacl1-dev:$ARCH")
if [ "$CROSS" = 1 ]; then
  PKGS+=("gcc-$TRIPLET_PKG" "g++-$TRIPLET_PKG" qemu-user-static)
else
  PKGS+=(gcc g++)
fi
ensure_packages "${PKGS[@]}"

# ------------------------------------------------------- wanted curl version ---
curl_candidate_version() {
  # Source version of the binary package libcurl4's candidate (offline).
  apt-cache show --no-all-versions libcurl4 2>/dev/null | awk '
    /^Source:/ { if (match($0, /\(([^)]*)\)/)) srcver = substr($0, RSTART+1, RLENGTH-2) }
    /^Version:/ { ver = $2 }
    END { if (srcver != "") print srcver; else if (ver != "") print ver }'
}

WANT_VERSION=${STATIC_CURL_VERSION:-}
if [ -z "$WANT_VERSION" ]; then
  WANT_VERSION=$(curl_candidate_version || true)
  if [ -z "$WANT_VERSION" ]; then
    apt_update_once
    WANT_VERSION=$(curl_candidate_version || true)
  fi
  [ -n "$WANT_VERSION" ] || die "cannot determine curl version (set STATIC_CURL_VERSION)"
fi

STAMP_WANT="arch=$ARCH curl_version=$WANT_VERSION script_sha256=$SCRIPT_HASH"
CACHE_ROOT="$(deps_cache_root)"
CACHED=""
[ -z "$CACHE_ROOT" ] || CACHED="$CACHE_ROOT/static-curl-$ARCH-$WANT_VERSION-${SCRIPT_HASH:0:16}"

# keep_in_cache: copies the finished prefix into the cache beside its place and renames it there,
# so a concurrent or interrupted run never sees half an entry. A cache that cannot be written is
# no error.
keep_in_cache() {
  [ -n "$CACHED" ] && [ ! -d "$CACHED" ] && mkdir -p "$CACHE_ROOT" 2>/dev/null || return 0
  local staging
  staging=$(mktemp -d "$CACHE_ROOT/.static-curl-XXXXXX") || return 0
  if cp -a "$PREFIX/." "$staging/" && mv -T "$staging" "$CACHED" 2>/dev/null; then
    log "kept in $CACHED for the next clone on this machine"
  else
    rm -rf "$staging"
  fi
}

if [ -f "$PREFIX/lib/libcurl.a" ] && [ -f "$STAMP" ] && [ "$(head -n1 "$STAMP")" = "$STAMP_WANT" ]; then
  log "up to date: $PREFIX/lib/libcurl.a (curl $WANT_VERSION, $ARCH)"
  keep_in_cache
  exit 0
fi
if [ -n "$CACHED" ] && [ -f "$CACHED/lib/libcurl.a" ] &&
   [ "$(head -n1 "$CACHED/.static-curl.stamp" 2>/dev/null)" = "$STAMP_WANT" ]; then
  rm -rf "$PREFIX" && mkdir -p "$PREFIX" && cp -a "$CACHED/." "$PREFIX/"
  log "reused $CACHED (curl $WANT_VERSION, $ARCH; BP_DEPS_CACHE= builds without the cache)"
  exit 0
fi

# ------------------------------------------- private apt config for deb-src ---
APTDIR="$WORK/apt"
mkdir -p "$APTDIR/sources.list.d" "$APTDIR/archives/partial"

# Emit deb-src stanzas for the system's configured *Debian* archives (deb822
# *.sources files and one-line sources.list entries). Third-party repos are
# skipped: only URIs whose path is /debian or /debian-security (or -ports), or
# whose host ends in debian.org.
gen_debsrc_sources() {
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  {
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      awk -v FS='\n' 'BEGIN{RS=""} {print; print "\x1e"}' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] || continue
      # one-line format -> pseudo deb822 records
      sed -e 's/#.*//' "$f" | awk '
        $1=="deb" {
          i=2; sb=""
          if ($2 ~ /^\[/) {
            opts=""
            while (i<=NF) { opts=opts" "$i; if ($i ~ /\]$/) {i++; break}; i++ }
            if (match(opts, /signed-by=[^] ]*/)) sb=substr(opts, RSTART+10, RLENGTH-10)
          }
          uri=$i; suite=$(i+1); comps=""
          for (j=i+2; j<=NF; j++) comps=comps" "$j
          print "Types: deb"; print "URIs: " uri; print "Suites: " suite
          print "Components:" comps
          if (sb != "") print "Signed-By: " sb
          print "\x1e"
        }'
    done
  } | awk -v keyring="$keyring" '
    function flush(   ok, u, n, a, k) {
      if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled !~ /^(no|false)/ && uris != "" && suites != "") {
        n = split(uris, a, /[ \t]+/); ok = ""
        for (k = 1; k <= n; k++) {
          u = a[k]
          if (u ~ /^[a-z+]+:\/\/[^\/]*debian\.org(\/|$)/ || u ~ /\/debian(-security|-ports)?\/?$/) ok = ok " " u
        }
        if (ok != "") {
          print "Types: deb-src"; print "URIs:" ok; print "Suites: " suites
          if (comps != "") print "Components: " comps
          if (signed ~ /^\//) print "Signed-By: " signed
          else if (system("test -f " keyring) == 0) print "Signed-By: " keyring
          print ""
        }
      }
      types = uris = suites = comps = signed = enabled = ""; last = ""
    }
    /^\x1e$/ { flush(); next }
    /^#/ { next }
    /^[ \t]/ { if (last == "signed-by") signed = signed "\n"; next }   # inline key: ignore
    /^[A-Za-z-]+:/ {
      key = tolower(substr($0, 1, index($0, ":") - 1)); val = substr($0, index($0, ":") + 1)
      gsub(/^[ \t]+|[ \t]+$/, "", val); last = key
      if (key == "types") types = val
      else if (key == "uris") uris = val
      else if (key == "suites") suites = val
      else if (key == "components") comps = val
      else if (key == "signed-by") signed = val
      else if (key == "enabled") enabled = tolower(val)
    }
    END { flush() }'
}

gen_debsrc_sources > "$APTDIR/sources.list.d/debian-src.sources.new"
[ -s "$APTDIR/sources.list.d/debian-src.sources.new" ] ||
  die "no Debian archive found in /etc/apt/sources.list{,.d} to derive deb-src from"
mv "$APTDIR/sources.list.d/debian-src.sources.new" "$APTDIR/sources.list.d/debian-src.sources"

PAPT=(-o "Dir::Etc::SourceList=/dev/null"
      -o "Dir::Etc::SourceParts=$APTDIR/sources.list.d"
      -o "Dir::State::Lists=$APTDIR/lists"
      -o "Dir::Cache::Archives=$APTDIR/archives"
      -o "Dir::Cache::pkgcache="
      -o "Dir::Cache::srcpkgcache="
      -o "APT::Sandbox::User=root"
      -o "Acquire::Languages=none")

SRCDL="$WORK/source"
mkdir -p "$SRCDL"
dsc_for() { local f="$SRCDL/curl_${1#*:}.dsc"; [ -f "$f" ] && printf '%s\n' "$f"; }

t_dl=$SECONDS
DSC=$(dsc_for "$WANT_VERSION" || true)
if [ -z "$DSC" ]; then
  log "apt-get update (private deb-src lists in $APTDIR)"
  mkdir -p "$APTDIR/lists/partial"
  apt-get "${PAPT[@]}" -qq update
  (
    cd "$SRCDL"
    if ! apt-get "${PAPT[@]}" -q source --download-only "curl=$WANT_VERSION"; then
      [ -z "${STATIC_CURL_VERSION:-}" ] || exit 1
      log "curl=$WANT_VERSION not in deb-src; falling back to the newest curl source"
      apt-get "${PAPT[@]}" -q source --download-only curl
    fi
  )
  DSC=$(dsc_for "$WANT_VERSION" || true)
  if [ -z "$DSC" ]; then   # fallback download: take the newest .dsc present
    for f in "$SRCDL"/curl_*.dsc; do
      if [ -f "$f" ] && { [ -z "$DSC" ] || [ "$f" -nt "$DSC" ]; }; then DSC=$f; fi
    done
  fi
  if [ -z "$DSC" ]; then die "no curl .dsc downloaded"; fi
  # The private Sources lists are ~90 MB and only needed for the download.
  rm -rf "$APTDIR/lists"
fi
SRC_VERSION=$(awk '/^Version:/{print $2; exit}' "$DSC")
log "curl source: $DSC (download $((SECONDS - t_dl)) s)"

# ------------------------------------------------------------------ unpack ---
SRCDIR="$WORK/curl-$SRC_VERSION-src"
if [ ! -f "$SRCDIR/.unpacked" ]; then
  rm -rf "$SRCDIR"
  # (apt already checked the files against the signed Sources index; dpkg-source's
  # "cannot verify inline signature" warning only means no keyring for gpgv.)
  dpkg-source --no-copy --skip-patches -x "$DSC" "$SRCDIR" > "$WORK/dpkg-source.log" 2>&1 ||
    { cat "$WORK/dpkg-source.log" >&2; die "dpkg-source -x failed"; }
  # Apply debian/patches/series like debian/rules does for the OpenSSL flavour:
  # everything (packaging + CVE fixes) except the last two patches, which
  # rename the library for the GnuTLS/NSS flavours (libcurl-gnutls/-nss).
  # The patches that touch configure.ac only concern gssapi/ldap (disabled
  # here), so the shipped ./configure is used as is; AM_MAINTAINER_MODE keeps
  # make from re-running automake.
  n=0
  while read -r patch_name _; do
    case "$patch_name" in ''|'#'*|90_gnutls.patch|99_nss.patch) continue ;; esac
    patch -d "$SRCDIR" -p1 -s -N -F0 < "$SRCDIR/debian/patches/$patch_name" ||
      die "patch $patch_name failed"
    n=$((n + 1))
  done < "$SRCDIR/debian/patches/series"
  log "applied $n Debian patches"
  touch "$SRCDIR/.unpacked"
fi

# ------------------------------------------------------------------- build ---
BUILD="$WORK/build-$ARCH"
rm -rf "$BUILD"
mkdir -p "$BUILD"

CONF_ENV=(CC="$CC_BIN" CFLAGS="-O2 -fPIC -ffunction-sections -fdata-sections -g0"
          PKG_CONFIG_LIBDIR="/usr/lib/$TRIPLET/pkgconfig:/usr/share/pkgconfig"
          PKG_CONFIG_PATH="")
HOST_ARGS=()
if [ "$CROSS" = 1 ]; then
  command -v "$CC_BIN" >/dev/null || die "$CC_BIN not found"
  HOST_ARGS=(--host="$TRIPLET" --build="$(dpkg-architecture -qDEB_BUILD_GNU_TYPE)")
  CONF_ENV+=(AR="$TRIPLET-ar" RANLIB="$TRIPLET-ranlib" STRIP="$TRIPLET-strip")
fi

CONFIGURE_FLAGS=(
  --prefix="$PREFIX"
  --disable-shared --enable-static --with-pic
  --disable-dependency-tracking --disable-silent-rules
  --with-openssl --with-zlib
  # only HTTP + HTTPS
  --enable-http --enable-proxy
  --disable-ftp --disable-file --disable-ldap --disable-ldaps --disable-rtsp
  --disable-dict --disable-telnet --disable-tftp --disable-pop3 --disable-imap
  --disable-smb --disable-smtp --disable-gopher --disable-mqtt
  --disable-ntlm-wb --disable-alt-svc --disable-manual --disable-websockets
  # no optional third-party libraries besides OpenSSL + zlib
  --without-brotli --without-zstd --without-libidn2 --without-libpsl
  --without-nghttp2 --without-nghttp3 --without-ngtcp2 --without-quiche --without-msh3
  --without-librtmp --without-libssh2 --without-libssh --without-wolfssh
  --without-gssapi --without-libgsasl --without-hyper
  # CA: the application sets CURLOPT_CAINFO. Default bundle = Debian/Ubuntu path
  # (same on both arches); no CA *path*, so CURLOPT_CAINFO alone decides trust.
  --with-ca-bundle=/etc/ssl/certs/ca-certificates.crt --without-ca-path --without-ca-fallback
  # keep: proxy (HTTP(S)_PROXY/NO_PROXY env + CURLOPT_PROXY), threaded resolver,
  # IPv6, cookies, HTTP auth incl. NTLM/digest for proxies.
)

t_build=$SECONDS
log "configure ($ARCH, curl $SRC_VERSION)"
(
  cd "$BUILD"
  env "${CONF_ENV[@]}" "$SRCDIR/configure" "${HOST_ARGS[@]}" "${CONFIGURE_FLAGS[@]}" > configure.log 2>&1 ||
    { tail -n 40 configure.log >&2; config_log="$BUILD/config.log"; die "configure failed, see $config_log"; }
  log "make -C lib -j$JOBS"
  make -C lib -j"$JOBS" > make.log 2>&1 || { tail -n 40 make.log >&2; die "make failed, see $BUILD/make.log"; }
  # install only the library, headers, libcurl.pc and curl-config (no curl tool, no docs)
  rm -rf "$PREFIX/include/curl" "$PREFIX/lib/libcurl.a" "$PREFIX/lib/libcurl.la"
  make -C lib install-libLTLIBRARIES > install.log 2>&1
  make -C include install >> install.log 2>&1
  make install-pkgconfigDATA install-binSCRIPTS >> install.log 2>&1
) || exit 1
rm -f "$PREFIX/lib/libcurl.la"   # libtool archive with absolute paths: not needed

# Sanity: the archive is for the right machine and has no foreign deps.
want_machine=$(platform_elf_machine "$ARCH")
machine=$(readelf -h "$PREFIX/lib/libcurl.a" | awk '/Machine:/ && m == "" {m = $0} END {print m}')
[[ "$machine" == *"$want_machine"* ]] || die "libcurl.a is not for $want_machine: $machine"
features=$("$PREFIX/bin/curl-config" --features | tr '\n' ' ')
protocols=$("$PREFIX/bin/curl-config" --protocols | tr '\n' ' ')
log "built in $((SECONDS - t_build)) s: $(du -h "$PREFIX/lib/libcurl.a" | cut -f1) libcurl.a; protocols: $protocols; features: $features"

{
  echo "$STAMP_WANT"
  echo "built_curl_source=$SRC_VERSION"
  echo "built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cc=$("$CC_BIN" --version | head -n1)"
  echo "protocols=$protocols"
  echo "features=$features"
} > "$STAMP"
keep_in_cache
log "done: $PREFIX"
