# The target platforms the buildpack ships, one line each: Debian architecture, GNU triplet, the
# machine `readelf -h` names for its executables, and qemu's name for it (qemu-<name>-static runs
# cross-built tests). Sourced by scripts/lib/common.sh; every script that loops over
# architectures or needs a triplet asks the functions below, and the integration tests read the
# same lines (integration/harness/config.py PLATFORMS).
#   arch   triplet              ELF machine   qemu
BP_PLATFORMS=(
  "amd64   x86_64-linux-gnu     X86-64        x86_64"
  "arm64   aarch64-linux-gnu    AArch64       aarch64"
)

# platform_arches: the architectures, one a line.
platform_arches() {
  local line arch rest
  for line in "${BP_PLATFORMS[@]}"; do
    read -r arch rest <<< "$line"
    echo "$arch"
  done
}

# platform_line ARCH: "triplet machine" for ARCH; fails naming the listed ones otherwise.
platform_line() {
  local line arch rest
  for line in "${BP_PLATFORMS[@]}"; do
    read -r arch rest <<< "$line"
    if [ "$arch" = "$1" ]; then
      echo "$rest"
      return 0
    fi
  done
  echo "unsupported architecture '$1' (scripts/lib/platforms.sh lists: $(platform_arches | xargs))" >&2
  return 1
}

# platform_field ARCH N: field N of ARCH's line after the arch (1 triplet, 2 ELF machine, 3 qemu).
platform_field() {
  local rest
  rest="$(platform_line "$1")" || return 1
  echo "$rest" | awk -v n="$2" '{print $n}'
}

platform_triplet() { platform_field "$1" 1; }      # aarch64-linux-gnu
platform_elf_machine() { platform_field "$1" 2; }  # AArch64
platform_qemu() { platform_field "$1" 3; }         # aarch64
