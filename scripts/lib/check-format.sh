#!/usr/bin/env bash
# check-format.sh [--fix]: lists the C++ files of the repository (git ls-files *.cc *.h) whose text
# differs from what clang-format makes of them with the repository's .clang-format, and exits 1 if
# there are any. --fix rewrites them instead. scripts/test.sh runs the check.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root="$(repo_root)"
cd "$root"
mapfile -t files < <(git ls-files '*.cc' '*.h')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
differ=()
for file in "${files[@]}"; do
  clang-format "$file" | cmp -s - "$file" || differ+=("$file")
done
[ ${#differ[@]} -eq 0 ] && exit 0
printf '%s\n' "${differ[@]}"
exit 1
