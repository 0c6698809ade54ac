#!/usr/bin/env bash
# Regenerates docs/architecture.svg, the picture of the libraries and executables in
# docs/architecture.md, from the build itself: CMake's --graphviz output of a configure
# (cmake/graphviz-options.cmake says which targets to draw), rendered by graphviz's dot.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
root="$(repo_root)"
work="$root/build/graph"

ensure_packages "${BUILD_PACKAGES[@]}" graphviz
mkdir -p "$work"
cp "$root/cmake/graphviz-options.cmake" "$work/CMakeGraphVizOptions.cmake"
cmake -S "$root" -B "$work" -G Ninja -DBP_TESTS=OFF --graphviz="$work/targets.dot" >/dev/null
dot -Tsvg "$work/targets.dot" -o "$root/docs/architecture.svg"
log "wrote docs/architecture.svg"
