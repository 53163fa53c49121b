# shellcheck shell=bash
# Shared body of tests/testbed/{up,down,scenario}.sh: `dispatch <action> [alpha|beta|all] [args...]`
# runs <cluster>/<action>.sh for the chosen clusters (default all), concurrently for "all" unless
# TESTBED_SERIAL=1, with each output line prefixed by the cluster; a missing beta/alpha script is
# skipped with a message. Exit status: the first failing cluster's.
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dispatch() {
  local action=$1; shift
  local target=all
  case "${1:-}" in
    alpha|beta|all) target=$1; shift ;;
    ""|-*) ;;
    *) echo "usage: $(basename "$0") [alpha|beta|all] [options for <cluster>/$action.sh]" >&2; return 2 ;;
  esac
  local clusters=() c pids=() rc=0 t0
  t0=$(date +%s%N)
  if [[ $target == all ]]; then clusters=(alpha beta); else clusters=("$target"); fi
  local run=()
  for c in "${clusters[@]}"; do
    if [[ -f $TESTBED_DIR/$c/$action.sh ]]; then run+=("$c")
    else log "skipping $c: $TESTBED_DIR/$c/$action.sh does not exist"; fi
  done
  if ((${#run[@]} == 0)); then log "nothing to do"; return 0; fi
  if [[ $action == up ]]; then
    require_root "$TESTBED_DIR/up.sh $target"
    # Shared, not concurrency-safe steps first (apt/dpkg lock, useradd lock, key generation).
    local pkgs=(munge slurmctld slurmd slurm-client slurmdbd mariadb-server openssh-server)
    [[ " ${run[*]} " == *" beta "* ]] && pkgs+=(debootstrap zstd)
    ensure_packages "${pkgs[@]}"
    ensure_users
    ensure_keys
  fi
  if ((${#run[@]} == 1)) || [[ -n ${TESTBED_SERIAL:-} ]]; then
    for c in "${run[@]}"; do bash "$TESTBED_DIR/$c/$action.sh" "$@" || { rc=$?; log "$c/$action.sh failed (rc=$rc)"; break; }; done
  else
    for c in "${run[@]}"; do
      ( set -o pipefail; bash "$TESTBED_DIR/$c/$action.sh" "$@" 2>&1 | sed -u "s/^/[$c] /" ) &
      pids+=($!)
    done
    local i r
    for i in "${!pids[@]}"; do
      r=0; wait "${pids[i]}" || r=$?
      if ((r != 0)); then log "${run[i]}/$action.sh failed (rc=$r)"; ((rc == 0)) && rc=$r; fi
    done
  fi
  if [[ $action == up || $action == down ]] && [[ -d $STATE ]]; then write_known_hosts_and_ssh_config; fi
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  log "$action $target done in $((ms / 1000)).$(printf '%03d' $((ms % 1000))) s$( ((rc)) && echo " (FAILED, rc=$rc)")"
  return "$rc"
}
