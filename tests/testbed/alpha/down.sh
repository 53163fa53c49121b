#!/usr/bin/env bash
# Stop cluster "alpha": every daemon up.sh started (tracked PIDs, reverse start order, SIGTERM first so
# slurmctld saves its state and MariaDB shuts down cleanly), then whatever is left in alpha's tracking
# cgroup (slurmstepd and job processes outlive slurmd; ssh sessions).
#
#   sudo tests/testbed/alpha/down.sh            # keeps config, keys, database, spool: next up.sh is fast
#   sudo tests/testbed/alpha/down.sh --purge    # also deletes $STATE/alpha (database, jobs, logs)
#
# Measured: PID 1 of some containers reaps orphans lazily, so killed processes may show as <defunct>
# for a second or two after this script returns; they hold no resources.
# Jobs that were running are killed with everything else; slurmctld keeps them as RUNNING, and the
# next up.sh requeues them (see "Ghost jobs" there).
# Removes $STATE/alpha/cluster.json (the cluster is no longer ready). Never touches processes it did not
# start.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
TESTBED_CLUSTER=alpha

purge=0
case "${1:-}" in
  --purge) purge=1 ;;
  "") ;;
  *) echo "usage: $0 [--purge]" >&2; exit 2 ;;
esac
require_root "$HERE/down.sh $*"

D=$STATE/alpha
[[ -d $D ]] || { log "nothing to stop ($D does not exist)"; exit 0; }
rm -f "$D/cluster.json" "$D/scenario-stopped-nodes"
track_stop_all alpha 20
# Sockets and Slurm's own pid files of stopped daemons are stale now.
rm -f "$D/munge/munge.socket" "$D/munge/munge.socket.lock" "$D/mysql-run/mysqld.sock" "$D"/run/*.pid
if ((purge)); then
  log "purging $D"
  rm -rf "$D"
  write_known_hosts_and_ssh_config
fi
log "alpha stopped"
