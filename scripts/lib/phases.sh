# Timed phases for scripts/test.sh, so every run ends with where its time went. Source it after
# common.sh, don't run it.
#   phase NAME CMD...       runs CMD in the foreground, timed as NAME
#   phase_bg NAME [--after DEP]... CMD...
#                           starts CMD in the background, its output in $BP_PHASE_LOGS/NAME.log;
#                           with --after, CMD waits until DEP (an earlier background phase) has
#                           ended, and is skipped (status 1) when DEP failed
#   low_priority CMD...     runs CMD at the lowest CPU priority (nice 19), so it takes only the
#                           time the foreground leaves idle
#   phase_wait [--show] NAME...
#                           waits for background phases and prints a failed one's output (with
#                           --show, every one's)
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
  local name="$1" after=()
  shift
  while [ "${1:-}" = "--after" ]; do
    after+=("$2")
    shift 2
  done
  mkdir -p "$BP_PHASE_LOGS"
  rm -f "$BP_PHASE_LOGS/$name.seconds" "$BP_PHASE_LOGS/$name.status"
  BP_PHASE_NAMES+=("$name")
  BP_PHASE_NOTE[$name]="background"
  # The phase times itself (from when it may start): it may end long before anyone waits for it.
  # A background phase is not this subshell's child, so a dependent one learns that it ended
  # from the .status file it leaves.
  (
    status=0
    for dep in "${after[@]}"; do
      while [ ! -e "$BP_PHASE_LOGS/$dep.status" ]; do sleep 1; done
      if [ "$(cat "$BP_PHASE_LOGS/$dep.status")" != 0 ]; then
        echo "skipped: $dep failed"
        status=1
      fi
    done
    start=$EPOCHREALTIME
    if [ "$status" -eq 0 ]; then
      "$@" &
      wait $! || status=$?
    fi
    _phase_seconds "$start" "$EPOCHREALTIME" > "$BP_PHASE_LOGS/$name.seconds"
    echo "$status" > "$BP_PHASE_LOGS/$name.status"
    exit "$status"
  ) > "$BP_PHASE_LOGS/$name.log" 2>&1 &
  BP_PHASE_BG_PIDS[$name]=$!
}

low_priority() {
  renice -n 19 -p "$BASHPID" > /dev/null
  "$@"
}

phase_wait() {
  local name status show=false
  if [ "${1:-}" = "--show" ]; then
    show=true
    shift
  fi
  for name in "$@"; do
    status=0
    wait "${BP_PHASE_BG_PIDS[$name]}" || status=$?
    BP_PHASE_SECONDS[$name]=$(cat "$BP_PHASE_LOGS/$name.seconds" 2>/dev/null || echo "?")
    BP_PHASE_STATUS[$name]=$status
    if [ "$status" -ne 0 ]; then
      BP_PHASE_NOTE[$name]="background, failed"
      log "FAILED: $name (exit $status); its output ($BP_PHASE_LOGS/$name.log):"
      cat "$BP_PHASE_LOGS/$name.log" >&2
    elif $show; then
      log "$name (ran in the background; $BP_PHASE_LOGS/$name.log):"
      cat "$BP_PHASE_LOGS/$name.log"
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
