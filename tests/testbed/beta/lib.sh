# shellcheck shell=bash
# Shared by beta/up.sh, down.sh and scenario.sh: names, ports, paths and chroot helpers of cluster beta.
# Requires lib/common.sh to be sourced first (STATE, log, track_*).
#
# Layout: $STATE/beta/root is the chroot (unpacked from the cached rootfs); everything the daemons write
# lives next to it in $STATE/beta/{etc,munge,mysql,spool,run,log,dev,sshd,pids} and is bind-mounted into
# the chroot at the same path, so a path means the same file on the host and inside the chroot.

TESTBED_CLUSTER=beta
B=$STATE/beta
ROOT=$B/root
BETA_SSH_PORT=${BETA_SSH_PORT:-22222}
BETA_CTLD_PORT=${BETA_CTLD_PORT:-27817}
BETA_DBD_PORT=${BETA_DBD_PORT:-27819}
BETA_SLURMD_PORT=${BETA_SLURMD_PORT:-27830}
BETA_GPU_NODES=(dgx-h100-01 dgx-h100-02 dgx-h100-03 dgx-h100-04)
BETA_CPU_NODES=(cpu-01 cpu-02)
BETA_NODES=("${BETA_GPU_NODES[@]}" "${BETA_CPU_NODES[@]}")
BETA_PARTITIONS=(preemptible prod debug cpu)
BETA_GPU_TYPES=(h100)
BETA_GPUS_PER_NODE=4
BETA_HOST=$(hostname -s)

# The environment every command in the chroot gets (env -i): nothing from the caller leaks in.
beta_env() {
  printf '%s\n' PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TZ="${TZ:-UTC}" \
    SLURM_CONF="$B/etc/slurm.conf" MYSQL_UNIX_PORT="$B/run/mysqld/mysqld.sock" \
    CLUSTEROPS_TESTBED_TAG="$(track_tag beta)"
}
# bx <cmd...>: run a command as root inside the chroot. bxu <user> <cmd...>: as that user (runuser).
bx() { local e; mapfile -t e < <(beta_env); chroot "$ROOT" /usr/bin/env -i "${e[@]}" "$@"; }
bxu() { local u=$1; shift; bx /usr/sbin/runuser -u "$u" -- "$@"; }

# beta_uid <name> / beta_gid <name>: ids inside the chroot (they differ from the host's).
beta_uid() { awk -F: -v u="$1" '$1==u {print $3}' "$ROOT/etc/passwd"; }
beta_gid() { awk -F: -v g="$1" '$1==g {print $3}' "$ROOT/etc/group"; }

# _beta_mounted <path>: success if path is a mount point (per /proc/mounts).
_beta_mounted() { awk -v p="$1" '$2==p {f=1} END {exit !f}' /proc/mounts; }

# beta_mount: the state bind mount plus proc, sysfs (ro), a private devpts and /dev/shm. Idempotent.
beta_mount() {
  mkdir -p "$ROOT$B" "$ROOT/dev/pts" "$ROOT/dev/shm" "$ROOT/proc" "$ROOT/sys"
  _beta_mounted "$ROOT$B" || mount --bind "$B" "$ROOT$B"
  _beta_mounted "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
  _beta_mounted "$ROOT/sys" || mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$ROOT/sys"
  _beta_mounted "$ROOT/dev/pts" || mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$ROOT/dev/pts"
  _beta_mounted "$ROOT/dev/shm" || mount -t tmpfs -o mode=1777,nosuid,nodev,size=256m tmpfs "$ROOT/dev/shm"
  # ptys come from the chroot's own devpts instance.
  [[ -L $ROOT/dev/ptmx ]] || { rm -f "$ROOT/dev/ptmx"; ln -s pts/ptmx "$ROOT/dev/ptmx"; }
}

# beta_umount: unmount everything below the chroot, deepest first (lazy as a last resort); dies if
# anything is still mounted there afterwards.
beta_umount() {
  local m
  [[ -d $ROOT ]] || return 0
  while read -r m; do
    umount "$m" 2>/dev/null || { warn "umount $m failed; detaching it lazily"; umount -l "$m" || true; }
  done < <(awk -v r="$ROOT/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r)
  # Callers delete below $ROOT next: $ROOT$B is a bind mount on the same file system, so even
  # `rm --one-file-system` would walk into it and delete the state directory itself.
  local left
  left=$(awk -v r="$ROOT/" 'index($2, r) == 1 {print $2}' /proc/mounts)
  [[ -z $left ]] || die "still mounted below $ROOT: $left"
}

# beta_start <name> <cmd...>: track_start unless alive. In up.sh (re)starting anything means the cluster
# is not ready until the end, so cluster.json goes away meanwhile (scenario.sh sets BETA_KEEP_JSON=1).
beta_start() {
  track_alive beta "$1" && return 0
  [[ -n ${BETA_KEEP_JSON:-} ]] || rm -f "$B/cluster.json"
  track_start beta "$@"
}
# beta_daemon <name> [--userspec=U:G] <cmd...>: a daemon inside the chroot, in the foreground.
beta_daemon() {
  local name=$1 spec=(); shift
  [[ $1 == --userspec=* ]] && { spec=("$1"); shift; }
  local e; mapfile -t e < <(beta_env)
  beta_start "$name" chroot "${spec[@]}" "$ROOT" /usr/bin/env -i "${e[@]}" "$@"
}
# beta_check_alive <name>: fail loudly (with the log tail) if a daemon died right after starting.
beta_check_alive() {
  track_alive beta "$1" && return 0
  tail -n 15 "$B/log/$1.out" "${@:2}" >&2 2>/dev/null || true
  die "$1 died; see $B/log/$1.out"
}
# beta_start_slurmd <node>: one slurmd per node (its own port comes from slurm.conf's node line).
beta_start_slurmd() {
  track_alive beta "slurmd-$1" && return 0
  rm -f "$B/run/slurmd-$1.pid"   # slurmd SIGTERMs whatever PID a stale pid file names
  beta_daemon "slurmd-$1" /usr/sbin/slurmd -D -N "$1"
}
