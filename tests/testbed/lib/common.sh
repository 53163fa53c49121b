# shellcheck shell=bash
# Shared helpers for the Slurm test bed (tests/testbed/README.md is the contract).
# Sourced by alpha/*.sh and beta/*.sh and the top-level dispatchers; defines functions and variables
# only, runs nothing (except `set -o pipefail`-free variable setup), so sourcing it twice is harmless.
#
# Process tracking: every daemon a cluster script starts goes through `track_start`, which records
# "<pid> <starttime>" in $STATE/<cluster>/pids/<name>.pid (so a reused PID is never mistaken for ours)
# and, when a writable cgroup hierarchy exists, moves the daemon into the cluster's own cgroup before it
# executes. Children (slurmstepd, job processes, ssh sessions) inherit that cgroup, so `track_stop_all`
# can stop everything the cluster started — and nothing else — even after slurmd died.
# Measured on the build machine (cgroup v1 "hybrid" host): /sys/fs/cgroup/unified is a writable
# cgroup2 with cgroup.kill, so that is used; on a pure cgroup2 host /sys/fs/cgroup itself is used;
# a v1 named/pids hierarchy is the next fallback; with no cgroup at all we fall back to a marker
# variable in the daemons' environment plus their descendants (see _track_fallback_pids).

TESTBED_DIR=${TESTBED_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
STATE=${CLUSTEROPS_TESTBED_DIR:-/var/tmp/clusterops-testbed}
CACHE=${CLUSTEROPS_TESTBED_CACHE:-/var/cache/clusterops-testbed}
export CLUSTEROPS_TESTBED_DIR=$STATE CLUSTEROPS_TESTBED_CACHE=$CACHE

# Host users of the test bed and their roles (role names as in cluster.json).
TESTBED_USERS=(opsuser opscoord opsoper alice bob)
TESTBED_KEY_USERS=(opsuser opsoper opscoord root)
declare -gA TESTBED_ROLE=([opsuser]=user [opscoord]=coordinator [opsoper]=operator [root]=root)

# log/warn/die: messages go to stderr, prefixed with the cluster (set TESTBED_CLUSTER) and time.
log()  { printf '[testbed%s %s] %s\n' "${TESTBED_CLUSTER:+ $TESTBED_CLUSTER}" "$(date +%T)" "$*" >&2; }
warn() { log "WARNING: $*"; }
die()  { log "ERROR: $*"; exit 1; }

# require_root <command to show>: exits with a message naming the exact command to run when not root.
require_root() {
  [[ $(id -u) -eq 0 ]] && return 0
  die "must run as root (it creates users, devices, cgroups and daemons). Run: sudo $*"
}

# wait_for <timeout-seconds> <cmd...>: run cmd every 0.2 s until it succeeds; returns 1 on timeout.
wait_for() {
  local timeout=$1; shift
  local deadline=$(( $(date +%s%N) + timeout * 1000000000 ))
  until "$@" >/dev/null 2>&1; do
    (( $(date +%s%N) >= deadline )) && return 1
    sleep 0.2
  done
}

# ensure_packages <pkg...>: install missing Debian packages (root only). Uses
# `apt-get install --no-install-recommends` with a policy-rc.d that exits 101 during the install, so
# maintainer scripts do not start system services; an existing policy-rc.d is restored afterwards.
# Not root and something missing: dies with the exact command to run.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  if [[ $(id -u) -ne 0 ]]; then
    die "missing packages: ${missing[*]}. Run: sudo sh -c 'printf \"#!/bin/sh\\nexit 101\\n\" >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}; rm -f /usr/sbin/policy-rc.d'"
  fi
  log "installing ${missing[*]}"
  local prc=/usr/sbin/policy-rc.d backup=""
  if [[ -e $prc ]]; then backup=$(mktemp); cp -p "$prc" "$backup"; fi
  printf '#!/bin/sh\nexit 101\n' >"$prc"; chmod 755 "$prc"
  local rc=0
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } >&2 || rc=$?
  if [[ -n $backup ]]; then cp -p "$backup" "$prc"; rm -f "$backup"; else rm -f "$prc"; fi
  ((rc == 0)) || die "apt-get install ${missing[*]} failed (rc=$rc)"
}

# ensure_users [root-dir]: create the test bed users (TESTBED_USERS) with a home, bash and a `*`
# password field (a locked `!` field blocks key login when sshd has UsePAM no). With root-dir (a chroot),
# users are created inside it with the same UID as on the host when the host has them.
ensure_users() {
  local root=${1:-} u uid args
  for u in "${TESTBED_USERS[@]}"; do
    if [[ -z $root ]]; then
      getent passwd "$u" >/dev/null || useradd -m -U -s /bin/bash -p '*' "$u"
      [[ $(getent shadow "$u" | cut -d: -f2) == '*' ]] || usermod -p '*' "$u"
    else
      if ! grep -q "^$u:" "$root/etc/passwd"; then
        args=(-m -U -s /bin/bash -p '*')
        uid=$(id -u "$u" 2>/dev/null) && args+=(-u "$uid")
        useradd --root "$root" "${args[@]}" "$u"
      fi
      [[ $(grep "^$u:" "$root/etc/shadow" | cut -d: -f2) == '*' ]] || usermod --root "$root" -p '*' "$u"
    fi
  done
}

# ensure_keys: ed25519 client keys $STATE/keys/<user> (+ .pub) for TESTBED_KEY_USERS. Mode 600; when
# run through sudo they are owned by $SUDO_USER so the invoking developer can use them (ssh only
# rejects open permissions on keys the current user owns, so root can still use them).
ensure_keys() {
  local d=$STATE/keys u
  mkdir -p "$d"; chmod 755 "$d"
  for u in "${TESTBED_KEY_USERS[@]}"; do
    [[ -s $d/$u && -s $d/$u.pub ]] || { rm -f "$d/$u" "$d/$u.pub"; ssh-keygen -q -t ed25519 -N '' -C "testbed-$u" -f "$d/$u"; }
    chmod 600 "$d/$u"; chmod 644 "$d/$u.pub"
    if [[ -n ${SUDO_USER:-} && $SUDO_USER != root ]]; then chown "$SUDO_USER" "$d/$u" "$d/$u.pub" 2>/dev/null || true; fi
  done
}

# write_sshd_config <cluster> <port> <root-prefix> <slurm_conf>
# Writes an sshd config, host key and authorized_keys for the cluster into
# <root-prefix>$STATE/<cluster>/sshd/ (the config names paths as the daemon sees them, i.e. without the
# prefix: pass "" on the host, the chroot directory for a chroot whose sshd runs as `chroot ROOT ...`).
# Key-only, UsePAM no, loopback only, StrictModes no (keys live under world-writable /var/tmp),
# SetEnv SLURM_CONF=<slurm_conf> (a path as the sshd sees it). Also records the endpoint on the host side
# in $STATE/<cluster>/ssh-endpoint ("<port> <keytype> <key>") for write_known_hosts_and_ssh_config.
# Prints the config path as the daemon sees it. Start sshd with: /usr/sbin/sshd -D -e -f <that path>.
write_sshd_config() {
  local cluster=$1 port=$2 prefix=$3 slurm_conf=$4
  local dir=$STATE/$cluster/sshd hdir=$3$STATE/$cluster/sshd u
  mkdir -p "$hdir/authorized_keys" "$STATE/$cluster" "$prefix/run/sshd"
  chmod 755 "$hdir" "$hdir/authorized_keys"; chmod 755 "$prefix/run/sshd"
  [[ -s $hdir/ssh_host_ed25519_key ]] || ssh-keygen -q -t ed25519 -N '' -C "testbed-$cluster-host" -f "$hdir/ssh_host_ed25519_key"
  chmod 600 "$hdir/ssh_host_ed25519_key"
  for u in "${TESTBED_KEY_USERS[@]}"; do
    cmp -s "$STATE/keys/$u.pub" "$hdir/authorized_keys/$u" || install -m 644 "$STATE/keys/$u.pub" "$hdir/authorized_keys/$u"
  done
  cat >"$hdir/sshd_config.new" <<EOF
# Generated by tests/testbed/lib/common.sh for cluster $cluster. Do not edit.
ListenAddress 127.0.0.1:$port
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys/%u
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
X11Forwarding no
# The console reaches a cluster through another cluster's sshd as a ProxyJump host
# (tests/integration/ssh-jump.test.ts): forwarding from the client side, to loopback only.
AllowTcpForwarding local
PermitOpen 127.0.0.1:*
PrintMotd no
PrintLastLog no
UseDNS no
# The console keeps one connection per cluster and runs commands as channels on it; tests open several.
MaxSessions 100
MaxStartups 100:30:200
SetEnv SLURM_CONF=$slurm_conf
Subsystem sftp internal-sftp
LogLevel INFO
EOF
  if cmp -s "$hdir/sshd_config.new" "$hdir/sshd_config"; then
    rm -f "$hdir/sshd_config.new"
  else
    mv "$hdir/sshd_config.new" "$hdir/sshd_config"
    # A running sshd keeps the config it started with; SIGHUP makes it re-exec with the new one (same PID,
    # open sessions stay), so an already running test bed picks up changes here on the next up.sh.
    local pid
    if pid=$(track_pid "$cluster" sshd); then kill -HUP "$pid"; log "reloaded sshd of $cluster (config changed)"; fi
  fi
  echo "$port $(cut -d' ' -f1,2 "$hdir/ssh_host_ed25519_key.pub")" >"$STATE/$cluster/ssh-endpoint.new"
  _replace_if_changed "$STATE/$cluster/ssh-endpoint.new" "$STATE/$cluster/ssh-endpoint"
  echo "$dir/sshd_config"
}

# write_known_hosts_and_ssh_config: assemble $STATE/known_hosts and $STATE/ssh_config from every
# $STATE/<cluster>/ssh-endpoint (written by write_sshd_config), i.e. from whatever clusters are configured.
write_known_hosts_and_ssh_config() {
  local f c port type key kh cfg
  # alpha and beta may call this at the same time: private temp files, atomic rename, skip if unchanged.
  kh=$(mktemp "$STATE/.known_hosts.XXXXXX"); cfg=$(mktemp "$STATE/.ssh_config.XXXXXX")
  printf '# Generated by tests/testbed; use: ssh -F %s -l opsuser <cluster> <command>\n' "$STATE/ssh_config" >"$cfg"
  for f in "$STATE"/*/ssh-endpoint; do
    [[ -s $f ]] || continue
    c=$(basename "$(dirname "$f")")
    read -r port type key <"$f"
    echo "[127.0.0.1]:$port $type $key" >>"$kh"
    cat >>"$cfg" <<EOF

Host $c
  HostName 127.0.0.1
  Port $port
  IdentityFile $STATE/keys/%r
  IdentitiesOnly yes
  UserKnownHostsFile $STATE/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  LogLevel ERROR
EOF
  done
  chmod 644 "$kh" "$cfg"
  _replace_if_changed "$kh" "$STATE/known_hosts"; _replace_if_changed "$cfg" "$STATE/ssh_config"
}

# _replace_if_changed <new> <dest>: move new over dest unless identical (then drop new).
_replace_if_changed() { if [[ -f $2 ]] && cmp -s "$1" "$2"; then rm -f "$1"; else mv -f "$1" "$2"; fi; }

# _json_str <s>: a JSON string literal (enough escaping for names and paths).
_json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
# _json_arr <words...>: a JSON array of strings.
_json_arr() { local out="" w; for w in "$@"; do out+="${out:+, }$(_json_str "$w")"; done; printf '[%s]' "$out"; }

# write_cluster_json <cluster> <slurm-version> <ssh-port> "<nodes...>" "<partitions...>" "<gpu types...>"
# Writes $STATE/<cluster>/cluster.json atomically (call it last, when the cluster is ready). Lists are
# space-separated words. Users: TESTBED_KEY_USERS with their key path and role.
write_cluster_json() {
  local cluster=$1 version=$2 port=$3 u users=""
  for u in "${TESTBED_KEY_USERS[@]}"; do
    users+="${users:+,
    }$(_json_str "$u"): { \"key\": $(_json_str "$STATE/keys/$u"), \"role\": $(_json_str "${TESTBED_ROLE[$u]}") }"
  done
  # shellcheck disable=SC2086
  cat >"$STATE/$cluster/cluster.json.new" <<EOF
{
  "name": $(_json_str "$cluster"),
  "slurmVersion": $(_json_str "$version"),
  "host": "127.0.0.1",
  "sshPort": $port,
  "users": {
    $users
  },
  "nodes": $(_json_arr $4),
  "partitions": $(_json_arr $5),
  "gpuTypes": $(_json_arr $6)
}
EOF
  chmod 644 "$STATE/$cluster/cluster.json.new"
  _replace_if_changed "$STATE/$cluster/cluster.json.new" "$STATE/$cluster/cluster.json"
}

# ---------------------------------------------------------------------------------------------------
# Process tracking

# track_tag <cluster>: the marker value put into tracked daemons' environment (fallback tracking).
# A chroot started with `env -i` must pass it on: env -i CLUSTEROPS_TESTBED_TAG="$(track_tag beta)" ...
track_tag() { printf '%s/%s' "$STATE" "$1"; }

# _cgroup_base: print a writable cgroup directory for the test bed (created on demand), or fail.
# Order: cgroup2 at /sys/fs/cgroup or /sys/fs/cgroup/unified, then v1 name=systemd, pids, freezer.
# CLUSTEROPS_TESTBED_NO_CGROUP=1 disables cgroups (tracking then uses the environment marker).
_cgroup_base() {
  local id mnt d
  [[ -z ${CLUSTEROPS_TESTBED_NO_CGROUP:-} ]] || return 1   # set to test the fallback
  id=clusterops-testbed-$(printf '%s' "$STATE" | cksum | cut -d' ' -f1)
  for mnt in /sys/fs/cgroup /sys/fs/cgroup/unified /sys/fs/cgroup/systemd /sys/fs/cgroup/pids /sys/fs/cgroup/freezer; do
    [[ -e $mnt/cgroup.procs ]] || continue
    d=$mnt/$id
    if [[ -d $d ]] || mkdir "$d" 2>/dev/null; then
      [[ -w $d/cgroup.procs ]] && { echo "$d"; return 0; }
    fi
  done
  return 1
}

# track_cgroup <cluster>: print the cluster's tracking cgroup (creating it), or fail if none usable.
# Remembered in $STATE/<cluster>/cgroup so down finds the same one.
track_cgroup() {
  local cluster=$1 f=$STATE/$1/cgroup base d
  [[ -z ${CLUSTEROPS_TESTBED_NO_CGROUP:-} ]] || return 1
  if [[ -s $f ]]; then d=$(<"$f"); [[ -d $d ]] || mkdir -p "$d" 2>/dev/null; [[ -w $d/cgroup.procs ]] && { echo "$d"; return 0; }; fi
  base=$(_cgroup_base) || return 1
  d=$base/$cluster
  mkdir -p "$d" 2>/dev/null && [[ -w $d/cgroup.procs ]] || return 1
  mkdir -p "$STATE/$cluster"; echo "$d" >"$f"; echo "$d"
}

# _pid_start <pid>: the process start time (field 22 of /proc/<pid>/stat), or fail.
_pid_start() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; s=${s##*) }; set -- $s; echo "${20}"; }

# track_pid <cluster> <name>: print the PID of a tracked daemon if it is still the process we started.
track_pid() {
  local f=$STATE/$1/pids/$2.pid pid st
  [[ -s $f ]] || return 1
  read -r pid st <"$f" || true
  [[ -n $pid && $(_pid_start "$pid") == "$st" ]] || return 1
  [[ $(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null) != Z ]] || return 1
  echo "$pid"
}

# track_alive <cluster> <name>: success if the tracked daemon runs.
track_alive() { track_pid "$1" "$2" >/dev/null; }

# track_start <cluster> <name> <cmd...>: start cmd (which must stay in the foreground, e.g. slurmd -D)
# in its own session, in the cluster's cgroup when available, stdin /dev/null, output appended to
# $STATE/<cluster>/log/<name>.out; records "<pid> <starttime>" in $STATE/<cluster>/pids/<name>.pid and
# appends name to $STATE/<cluster>/pids/order (stop order = reverse start order). Does nothing if the
# daemon is already alive. Env: TRACK_USER=<user> runs it via runuser (host only).
track_start() {
  local cluster=$1 name=$2; shift 2
  local pdir=$STATE/$cluster/pids ldir=$STATE/$cluster/log cg="" pid
  mkdir -p "$pdir" "$ldir"
  if track_alive "$cluster" "$name"; then return 0; fi
  cg=$(track_cgroup "$cluster") || cg=""
  # sessions of daemons from earlier runs are stale once nothing of the cluster runs any more
  local any=0 f
  for f in "$pdir"/*.pid; do [[ -e $f ]] && track_alive "$cluster" "$(basename "$f" .pid)" && { any=1; break; }; done
  ((any)) || [[ -n $(track_remaining "$cluster") ]] || rm -f "$pdir/sessions"
  (
    [[ -n $cg ]] && echo "$BASHPID" >"$cg/cgroup.procs"
    cd "$pdir"   # not the caller's directory; also how the no-cgroup fallback recognises slurmstepd
    export CLUSTEROPS_TESTBED_TAG
    CLUSTEROPS_TESTBED_TAG=$(track_tag "$cluster")
    # setsid does not fork here (a background subshell is not a process-group leader), so $! is the daemon.
    exec setsid "$@"
  ) </dev/null >>"$ldir/$name.out" 2>&1 &
  pid=$!
  echo "$pid $(_pid_start "$pid")" >"$pdir/$name.pid"
  echo "$pid" >>"$pdir/sessions"
  grep -qx "$name" "$pdir/order" 2>/dev/null || echo "$name" >>"$pdir/order"
  log "started $name (pid $pid${cg:+, cgroup $cg})"
}

# track_stop <cluster> <name> [timeout=15]: SIGTERM a tracked daemon, wait, then SIGKILL it.
track_stop() {
  local cluster=$1 name=$2 timeout=${3:-15} pid
  pid=$(track_pid "$cluster" "$name") || { rm -f "$STATE/$cluster/pids/$name.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_for "$timeout" eval "! track_alive $cluster $name"; then
    warn "$name (pid $pid) ignored SIGTERM for ${timeout}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_for 5 eval "! track_alive $cluster $name" || true
  fi
  rm -f "$STATE/$cluster/pids/$name.pid"
}

# _track_fallback_pids <cluster>: without a cgroup, the cluster's processes are those that
#  - carry the marker CLUSTEROPS_TESTBED_TAG in their environment, or
#  - run in a session a tracked daemon leads (track_start uses setsid; pids/sessions), or
#  - have as working directory exactly $STATE/<cluster>/pids (track_start starts daemons there), or
#  - run in a chroot under $STATE/<cluster> or a directory listed in $STATE/<cluster>/pids/roots,
# plus all their descendants. Measured: slurmstepd double-forks to PID 1, starts its own session and
# overwrites its environment with its process title (setproctitle), so only its working directory
# (inherited from slurmd) identifies it; job processes are found as its descendants.
_track_fallback_pids() {
  local tag p e s sid pp cwd root changed=1 marker_dir=$STATE/$1/pids
  tag="CLUSTEROPS_TESTBED_TAG=$(track_tag "$1")"
  declare -A seen=() sessions=() ppid=()
  local roots=("$STATE/$1")
  [[ -s $marker_dir/roots ]] && mapfile -t -O 1 roots <"$marker_dir/roots"
  # A recorded session counts only while its leader is one of our tracked daemons or gone (orphans
  # left in it); a leader PID now used by another process means the PID was reused.
  local tracked=" " f
  for f in "$marker_dir"/*.pid; do [[ -e $f ]] && tracked+="$(track_pid "$1" "$(basename "$f" .pid)") "; done
  if [[ -s $marker_dir/sessions ]]; then
    while read -r sid; do
      [[ -n $sid ]] || continue
      [[ ! -e /proc/$sid || $tracked == *" $sid "* ]] && sessions[$sid]=1
    done <"$marker_dir/sessions"
  fi
  for e in /proc/[0-9]*/stat; do
    p=${e#/proc/}; p=${p%/stat}
    [[ $p == "$$" || $p == "$BASHPID" ]] && continue
    s=$(cat "$e" 2>/dev/null) || continue
    read -r _ pp _ sid _ <<<"${s##*) }"
    ppid[$p]=$pp
    cwd=$(readlink "/proc/$p/cwd" 2>/dev/null) || cwd=""
    root=$(readlink "/proc/$p/root" 2>/dev/null) || root="/"
    if [[ -n ${sessions[$sid]:-} || $cwd == "$marker_dir" ]]; then seen[$p]=1; continue; fi
    if [[ $root != / ]]; then
      for r in "${roots[@]}"; do [[ -n $r && ( $root == "$r" || $root == "$r"/* ) ]] && { seen[$p]=1; break; }; done
      [[ -n ${seen[$p]:-} ]] && continue
    fi
    tr '\0' '\n' 2>/dev/null <"/proc/$p/environ" | grep -qxF "$tag" && seen[$p]=1
  done
  while ((changed)); do
    changed=0
    for p in "${!ppid[@]}"; do
      [[ -z ${seen[$p]:-} && -n ${seen[${ppid[$p]}]:-} ]] && { seen[$p]=1; changed=1; }
    done
  done
  echo "${!seen[@]}"
}

# track_register_root <cluster> <dir>: declare a chroot directory whose processes belong to the
# cluster (only used by the no-cgroup fallback; a chroot under $STATE/<cluster> needs no declaration).
track_register_root() {
  mkdir -p "$STATE/$1/pids"
  grep -qxF "$2" "$STATE/$1/pids/roots" 2>/dev/null || echo "$2" >>"$STATE/$1/pids/roots"
}

# track_remaining <cluster>: print PIDs still belonging to the cluster (cgroup members, else fallback).
track_remaining() {
  local f=$STATE/$1/cgroup d
  if [[ -s $f ]]; then
    # recursive: a daemon may create child cgroups below ours (e.g. Slurm's cgroup/v2 plugin)
    d=$(<"$f"); [[ -r $d/cgroup.procs ]] && { find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null | tr '\n' ' '; return 0; }
  fi
  _track_fallback_pids "$1"
}

# track_stop_all <cluster> [timeout=15]: stop the cluster's tracked daemons in reverse start order
# (SIGTERM, so slurmctld saves state and MariaDB shuts down cleanly), then kill whatever is left in the
# cluster's cgroup (slurmstepd and job processes outlive slurmd; ssh sessions), remove the cgroup.
track_stop_all() {
  local cluster=$1 timeout=${2:-15} pdir=$STATE/$1/pids name pids d i p snap=()
  # Without a cgroup, take a snapshot first: once the daemons are gone, orphans can't be traced back.
  if [[ ! -s $STATE/$cluster/cgroup ]]; then
    for p in $(_track_fallback_pids "$cluster"); do snap+=("$p:$(_pid_start "$p")"); done
  fi
  if [[ -s $pdir/order ]]; then
    mapfile -t names <"$pdir/order"
    for ((i=${#names[@]}-1; i>=0; i--)); do
      track_stop "$cluster" "${names[i]}" "$timeout"
    done
  fi
  for i in 1 2 3 4 5 6 7 8 9 10; do
    pids=$(track_remaining "$cluster")
    for p in "${snap[@]}"; do [[ $(_pid_start "${p%%:*}") == "${p#*:}" ]] && pids+=" ${p%%:*}"; done
    [[ -z ${pids// /} ]] && break
    (( i == 1 )) && log "killing leftover processes of $cluster: $(for p in $pids; do printf '%s(%s) ' "$p" "$(cat /proc/$p/comm 2>/dev/null)"; done)"
    d=$(cat "$STATE/$cluster/cgroup" 2>/dev/null || true)
    if [[ -n $d && -w $d/cgroup.kill ]]; then echo 1 >"$d/cgroup.kill"; else kill -KILL $pids 2>/dev/null || true; fi
    sleep 0.3
  done
  pids=$(track_remaining "$cluster"); [[ -z ${pids// /} ]] || warn "processes of $cluster survived: $pids"
  d=$(cat "$STATE/$cluster/cgroup" 2>/dev/null || true)
  if [[ -n $d && -d $d ]]; then
    find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
    [[ -d $d ]] || rm -f "$STATE/$cluster/cgroup"
    rmdir "$(dirname "$d")" 2>/dev/null || true
  fi
  [[ -n ${pids// /} ]] || rm -f "$pdir/order" "$pdir/sessions"
}
