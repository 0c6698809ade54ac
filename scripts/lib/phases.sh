# Timed phases for scripts/test.sh, so every run ends with where its time went. Source it after
# common.sh, don't run it.
#   phase NAME CMD...       runs CMD in the foreground, timed as NAME
#   phase_bg NAME CMD...    starts CMD in the background, its output in $BP_PHASE_LOGS/NAME.log
#   phase_wait NAME...      waits for background phases and prints a failed one's output
#   phase_ok NAME...        whether those phases succeeded
#   phase_summary           seconds per phase (in the background: overlapping others), the wall
#                           time and the CPU time of the whole run
# phase and phase_wait always return 0, so the caller need not test them, and must not: bash
# ignores set -e inside any function called where its status is tested (`f || …`), which would
# let a failing step of CMD go unnoticed. CMD runs as a child with set -e in force.
BP_PHASE_LOGS="${BP_PHASE_LOGS:-$(repo_root)/build/logs}"
BP_PHASE_T0=$EPOCHREALTIME
BP_PHASE_NAMES=()
declare -A BP_PHASE_SECONDS=() BP_PHASE_BG_PIDS=() BP_PHASE_NOTE=() BP_PHASE_STATUS=()

# _phase_seconds START END: END - START, one decimal.
_phase_seconds() {
  awk -v s="$1" -v e="$2" 'BEGIN { printf "%.1f", e - s }'
}

phase() {
  local name="$1" start=$EPOCHREALTIME status=0
  shift
  BP_PHASE_NAMES+=("$name")
  "$@" &
  wait $! || status=$?
  BP_PHASE_SECONDS[$name]=$(_phase_seconds "$start" "$EPOCHREALTIME")
  BP_PHASE_STATUS[$name]=$status
  [ "$status" -eq 0 ] || BP_PHASE_NOTE[$name]="failed"
}

phase_bg() {
  local name="$1"
  shift
  mkdir -p "$BP_PHASE_LOGS"
  BP_PHASE_NAMES+=("$name")
  BP_PHASE_NOTE[$name]="background"
  # The phase times itself: it may end long before anyone waits for it.
  (
    start=$EPOCHREALTIME status=0
    "$@" &
    wait $! || status=$?
    _phase_seconds "$start" "$EPOCHREALTIME" > "$BP_PHASE_LOGS/$name.seconds"
    exit "$status"
  ) > "$BP_PHASE_LOGS/$name.log" 2>&1 &
  BP_PHASE_BG_PIDS[$name]=$!
}

phase_wait() {
  local name status
  for name in "$@"; do
    status=0
    wait "${BP_PHASE_BG_PIDS[$name]}" || status=$?
    BP_PHASE_SECONDS[$name]=$(cat "$BP_PHASE_LOGS/$name.seconds" 2>/dev/null || echo "?")
    BP_PHASE_STATUS[$name]=$status
    if [ "$status" -ne 0 ]; then
      BP_PHASE_NOTE[$name]="background, failed"
      log "FAILED: $name (exit $status); its output ($BP_PHASE_LOGS/$name.log):"
      cat "$BP_PHASE_LOGS/$name.log" >&2
    fi
  done
}

phase_ok() {
  local name
  for name in "$@"; do
    [ "${BP_PHASE_STATUS[$name]:-1}" -eq 0 ] || return 1
  done
}

phase_summary() {
  local name cpu times_file
  # times' second line: user and system time of every child this shell has waited for (a file,
  # not a pipe: in a subshell the children would be the subshell's).
  times_file=$(mktemp)
  times > "$times_file"
  cpu=$(awk 'NR == 2 { split($0, f, /[ ms]+/); print f[1] * 60 + f[2] + f[3] * 60 + f[4] }' "$times_file")
  rm -f "$times_file"
  log "time per phase (seconds; background phases overlap the ones after them):"
  for name in "${BP_PHASE_NAMES[@]}"; do
    printf '    %7s  %s%s\n' "${BP_PHASE_SECONDS[$name]:-?}" "$name" \
      "${BP_PHASE_NOTE[$name]:+ (${BP_PHASE_NOTE[$name]})}" >&2
  done
  printf '    %7s  total wall time; CPU time %.0f s on %s cores\n' \
    "$(_phase_seconds "$BP_PHASE_T0" "$EPOCHREALTIME")" "$cpu" "$(nproc)" >&2
}
