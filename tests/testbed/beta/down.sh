#!/usr/bin/env bash
# Stop cluster `beta`: every process up.sh started (tracked PIDs and the cluster's cgroup, which also holds
# slurmstepd, jobs and ssh sessions), then unmount everything below the chroot. Keeps the chroot,
# configs, database and keys so the next up.sh is quick. `--purge` also removes $STATE/beta.
# Usage: sudo tests/testbed/beta/down.sh [--purge]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

purge=0
for a in "$@"; do
  case $a in
    --purge) purge=1 ;;
    *) die "usage: $0 [--purge]" ;;
  esac
done
require_root "$0 $*"

rm -f "$B/cluster.json"
[[ -d $B ]] && track_stop_all beta
beta_umount
# Not reachable any more: drop beta from ssh_config/known_hosts (the host key stays for the next up).
rm -f "$B/ssh-endpoint" "$B/scenario-stopped-nodes"
if [[ -f $STATE/ssh_config ]]; then write_known_hosts_and_ssh_config; fi

if ((purge)); then
  log "purging $B"
  rm -rf --one-file-system "$B"
fi
log "beta is down"
