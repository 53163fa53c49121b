#!/usr/bin/env bash
# Bring up cluster "alpha": Slurm 22.05 from Debian 12 on the host (munge, MariaDB, slurmdbd, slurmctld,
# one `slurmd -N` per node, sshd on 127.0.0.1), all config/state/logs in $STATE/alpha.
#
#   sudo tests/testbed/alpha/up.sh
#
# Idempotent: daemons already running (tracked PID + start time) are left alone, missing ones are
# started, accounting is set up once (marker file). $STATE/alpha/cluster.json is removed while anything
# had to be (re)started and written last, when the cluster is ready.
# Ports (env): ALPHA_SSH_PORT=22221 ALPHA_CTLD_PORT=26817 ALPHA_DBD_PORT=26819 ALPHA_SLURMD_PORT=26830
# (slurmd of the N-th node listens on ALPHA_SLURMD_PORT+N).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
# shellcheck source=../lib/nvidia-smi-standin.sh
source "$HERE/../lib/nvidia-smi-standin.sh"
TESTBED_CLUSTER=alpha
T0=$(date +%s%N)

require_root "$HERE/up.sh"
ensure_packages munge slurmctld slurmd slurm-client slurmdbd mariadb-server openssh-server

D=$STATE/alpha
SSH_PORT=${ALPHA_SSH_PORT:-22221}
CTLD_PORT=${ALPHA_CTLD_PORT:-26817}
DBD_PORT=${ALPHA_DBD_PORT:-26819}
SLURMD_PORT=${ALPHA_SLURMD_PORT:-26830}
HOST=$(hostname -s)
export SLURM_CONF=$D/etc/slurm.conf
export MYSQL_UNIX_PORT=$D/mysql-run/mysqld.sock
MUNGE_SOCKET=$D/munge/munge.socket
ACCT_VERSION=alpha-accounting-v1

# --- directories, users, keys -----------------------------------------------------------------------
ensure_users
ensure_keys
mkdir -p "$STATE" "$D"/{etc,spool/ctld,spool/d,run,log,dev,munge,mysql,mysql-run,pids}
chmod 755 "$STATE" "$D" "$D"/{etc,spool,run,log,dev}
chown slurm:slurm "$D/spool/ctld" "$D/log"
chown munge:munge "$D/munge"; chmod 755 "$D/munge"        # clients need the socket
chown mysql:mysql "$D/mysql" "$D/mysql-run"; chmod 700 "$D/mysql"; chmod 755 "$D/mysql-run"

# Anything not running means the cluster is not ready: take back the readiness signal until the end.
need_start=0
for n in munged mariadb slurmdbd slurmctld sshd $(awk -F"[= ]" "/^NodeName=/{print \"slurmd-\" \$2}" "$HERE/slurm.conf.in"); do
  track_alive alpha "$n" || need_start=1
done

# --- configuration ----------------------------------------------------------------------------------
# render <template> <dest> [mode] [owner]: fill placeholders; rewrites dest only when the text changed.
render() {
  local src=$1 dst=$2 mode=${3:-644} owner=${4:-root:root}
  DIR=$D HOST=$HOST CTLD=$CTLD_PORT DBD=$DBD_PORT SLURMD=$SLURMD_PORT perl -pe '
    s/\@DIR\@/$ENV{DIR}/g; s/\@HOST\@/$ENV{HOST}/g; s/\@CTLD_PORT\@/$ENV{CTLD}/g;
    s/\@DBD_PORT\@/$ENV{DBD}/g; s/\@SLURMD_PORT\+(\d+)\@/$ENV{SLURMD}+$1/ge' "$src" >"$dst.new"
  if [[ -f $dst ]] && cmp -s "$dst.new" "$dst"; then rm -f "$dst.new"; else
    [[ -f $dst ]] && CONFIG_CHANGED=1
    mv "$dst.new" "$dst"
  fi
  chmod "$mode" "$dst"; chown "$owner" "$dst"
}
CONFIG_CHANGED=0
render "$HERE/slurm.conf.in" "$D/etc/slurm.conf"
render "$HERE/gres.conf.in" "$D/etc/gres.conf"
render "$HERE/cgroup.conf.in" "$D/etc/cgroup.conf"
render "$HERE/slurmdbd.conf.in" "$D/etc/slurmdbd.conf" 600 slurm:slurm

NODES=$(awk -F'[= ]' '/^NodeName=/{print $2}' "$D/etc/slurm.conf")
PARTITIONS=$(awk -F'[= ]' '/^PartitionName=/{print $2}' "$D/etc/slurm.conf")
GPU_TYPES=$(grep -o 'Type=[^ ]*' "$D/etc/gres.conf" | cut -d= -f2 | sort -u)

# Fake GPUs: character devices c 195 N for every File= in gres.conf (nvidia[a-b] or nvidiaN).
while read -r f; do
  if [[ $f =~ ^(.*/nvidia)\[([0-9]+)-([0-9]+)\]$ ]]; then
    for ((i=BASH_REMATCH[2]; i<=BASH_REMATCH[3]; i++)); do
      [[ -c ${BASH_REMATCH[1]}$i ]] || mknod -m 666 "${BASH_REMATCH[1]}$i" c 195 "$i"
    done
  elif [[ $f =~ /nvidia([0-9]+)$ ]]; then
    [[ -c $f ]] || mknod -m 666 "$f" c 195 "${BASH_REMATCH[1]}"
  fi
done < <(grep -o 'File=[^ ]*' "$D/etc/gres.conf" | cut -d= -f2)
# A STAND-IN nvidia-smi printing real captured H200 output, for the GPU utilization tests (lib/nvidia-smi-standin.sh).
install_nvidia_smi_standin "$D" "$D/etc/slurm.conf"

# port_free <port>: no listener on the port (we check before starting, so a foreign daemon on our port
# gives a clear error instead of a crash loop).
# (ss is in iproute2, which minimal Debian images lack: then try to connect to 127.0.0.1 instead)
port_free() {
  if command -v ss >/dev/null; then [[ -z $(ss -ltnH "sport = :$1" 2>/dev/null) ]]
  else ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; fi
}
check_port() { port_free "$2" || die "port $2 for $1 is in use by another process (override with ALPHA_*_PORT)"; }
listening() { ! port_free "$1"; }

if ((need_start)); then rm -f "$D/cluster.json"; fi

# daemon <name> <timeout> <ready-check> <port|-> <cmd...>: start the tracked daemon unless it runs,
# then wait until <ready-check> (a shell command string) succeeds. A daemon found alive that exits
# while we wait (e.g. a slurmctld still saving state after a SIGTERM) is started once more.
# Before a start: the port must be free, and stale sockets / Slurm's own pid files are removed
# (slurmctld, slurmd and slurmdbd SIGTERM whatever PID their pid file names when they start).
daemon() {
  local name=$1 timeout=$2 check=$3 port=$4 attempt; shift 4
  for attempt in 1 2; do
    if ! track_alive alpha "$name"; then
      [[ $port == - ]] || check_port "$name" "$port"
      case $name in
        munged) rm -f "$MUNGE_SOCKET" "$MUNGE_SOCKET.lock" "$D/munge/munged.pid" ;;
        mariadb) rm -f "$MYSQL_UNIX_PORT" "$D/mysql-run/mariadb.pid" ;;
        slurm*) rm -f "$D/run/$name.pid" ;;
      esac
      track_start alpha "$name" "$@"
    fi
    # stop waiting early if the daemon exits
    wait_for "$timeout" eval "$check || ! track_alive alpha $name" || true
    if eval "$check" >/dev/null 2>&1; then return 0; fi
    track_alive alpha "$name" && break
    ((attempt == 1)) && log "$name exited while coming up; starting it again"
  done
  die "$name did not become ready within ${timeout}s (logs: $D/log/$name.out, $D/log/*.log)"
}

# --- munge ------------------------------------------------------------------------------------------
if [[ ! -s $D/munge/munge.key ]]; then
  dd if=/dev/urandom of="$D/munge/munge.key" bs=1024 count=1 status=none
fi
chown munge:munge "$D/munge/munge.key"; chmod 400 "$D/munge/munge.key"
munge_ok() { munge -n -S "$MUNGE_SOCKET" | unmunge -S "$MUNGE_SOCKET"; }
daemon munged 15 munge_ok - setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F \
  --key-file="$D/munge/munge.key" --socket="$MUNGE_SOCKET" --pid-file="$D/munge/munged.pid" \
  --log-file="$D/munge/munged.log" --seed-file="$D/munge/munged.seed"

# --- MariaDB (socket only) --------------------------------------------------------------------------
if [[ ! -d $D/mysql/mysql ]]; then
  log "initialising MariaDB in $D/mysql"
  mariadb-install-db --no-defaults --datadir="$D/mysql" --user=mysql --auth-root-authentication-method=socket \
    --skip-test-db --skip-name-resolve >"$D/log/mariadb-install.out" 2>&1 \
    || die "mariadb-install-db failed (see $D/log/mariadb-install.out)"
fi
sql() { mariadb --no-defaults -S "$MYSQL_UNIX_PORT" -u root -N -B -e "$1"; }
# Durability settings off: this database is disposable and sacctmgr/slurmdbd commits get cheaper.
daemon mariadb 30 "sql 'SELECT 1'" - /usr/sbin/mariadbd --no-defaults --datadir="$D/mysql" \
  --socket="$MYSQL_UNIX_PORT" --pid-file="$D/mysql-run/mariadb.pid" --tmpdir="$D/mysql-run" \
  --skip-networking --skip-name-resolve --user=mysql --innodb-buffer-pool-size=1G \
  --innodb-log-file-size=64M --innodb-lock-wait-timeout=900 \
  --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --sync-binlog=0 --skip-log-bin
sql "CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY 'testbed';
     GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';"

# --- slurmdbd ---------------------------------------------------------------------------------------
daemon slurmdbd 30 "sacctmgr -n show cluster format=cluster" "$DBD_PORT" /usr/sbin/slurmdbd -D

# --- accounting (once) ------------------------------------------------------------------------------
# sacctmgr exits non-zero on "Nothing new added", so results are checked by reading them back.
sa() { sacctmgr -i "$@" >>"$D/log/sacctmgr.out" 2>&1 || true; }
if [[ $(cat "$D/accounting.done" 2>/dev/null) != "$ACCT_VERSION" ]]; then
  log "setting up accounting (cluster, QOS, accounts, users)"
  # The cluster must exist before slurmctld registers for the first time.
  # QOS first (a load file cannot create them), then the account tree in one `sacctmgr load`.
  sacctmgr -i >>"$D/log/sacctmgr.out" 2>&1 <<'EOF' || true
add qos low,high
modify qos where name=normal set Priority=100
modify qos where name=low set Priority=0 UsageFactor=0.5 PreemptMode=requeue
modify qos where name=high set Priority=1000 UsageFactor=2.0 Preempt=low
EOF
  sa load file="$HERE/accounts.cfg"
  # read back what the contract promises
  [[ $(sacctmgr -n -P show user opsoper format=adminlevel) == Operator ]] || die "opsoper is not Operator (see $D/log/sacctmgr.out)"
  sacctmgr -n -P show user opscoord withcoord format=coordinators | grep -qw nlp || die "opscoord is not coordinator of nlp"
  sacctmgr -n -P show assoc where cluster=alpha user=opsuser format=account | grep -qx vision || die "opsuser has no association with vision"
  sacctmgr -n -P show qos where name=high format=preempt | grep -qx low || die "QOS high does not preempt low"
  echo "$ACCT_VERSION" >"$D/accounting.done"
fi

# --- slurmctld --------------------------------------------------------------------------------------
ctld_up() { scontrol ping | grep -q "is UP"; }
ctld_was_alive=0; track_alive alpha slurmctld && ctld_was_alive=1
daemon slurmctld 30 ctld_up "$CTLD_PORT" /usr/sbin/slurmctld -D
if ((ctld_was_alive && CONFIG_CHANGED)); then
  log "configuration changed: scontrol reconfigure (node or port changes need down.sh + up.sh)"
  scontrol reconfigure || warn "scontrol reconfigure failed"
fi

# --- slurmd, one per node (except nodes scenario.sh stopped on purpose, as on beta) ------------------
stopped=" $(tr '\n' ' ' 2>/dev/null <"$D/scenario-stopped-nodes" || true) "
i=0
for node in $NODES; do
  mkdir -p "$D/spool/d/$node"
  if [[ $stopped == *" $node "* ]]; then
    log "leaving $node down (stopped by scenario.sh; down.sh or scenario.sh restore it)"
  elif ! track_alive alpha "slurmd-$node"; then
    daemon "slurmd-$node" 5 true $((SLURMD_PORT + i)) /usr/sbin/slurmd -D -N "$node"
  fi
  i=$((i + 1))
done
# Ready when no node is still "not responding" (*) or unknown. Drained nodes (scenario) stay drained;
# nodes the scenario stopped are expected to be down.
nodes_ok() { ! sinfo -h -N -o '%N %T' | grep -Fvw -f <(printf '%s\n' $stopped __none__) | grep -Eq '\*|unknown|not_responding|invalid'; }
wait_for 40 nodes_ok || { sinfo -N -o '%N %T %E' >&2; die "nodes did not register (see $D/log/slurmd-*.log)"; }

# Ghost jobs: after down.sh (or a killed slurmd + its slurmstepds) slurmctld restores jobs as RUNNING
# whose processes are gone. Every node reports the host's boot time, so slurmctld never notices
# (measured on 22.05: still RUNNING 5 min after the restart, no "missing from batch node" purge).
# A job is alive if a slurmstepd for it runs in alpha's tracking cgroup; others that started before
# this run are requeued (as a node failure would) or, if not requeueable, cancelled.
if ((need_start)); then
  live=" $(for p in $(track_remaining alpha); do tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null; echo; done \
          | sed -n 's/^slurmstepd: \[\([0-9]*\)\..*/\1/p' | sort -u | tr '\n' ' ') "
  started_before=$(date -d "@$(( T0 / 1000000000 - 5 ))" +%Y-%m-%dT%H:%M:%S)
  while read -r j st; do
    [[ -n $j && $live != *" $j "* && ! $st > $started_before ]] || continue
    log "job $j is RUNNING in slurmctld but has no slurmstepd (killed by down.sh): requeueing it"
    scontrol requeue "$j" 2>/dev/null || scancel "$j" || true
  done < <(squeue -h -t RUNNING,SUSPENDED -o '%A %S')
fi

# Limits on GPUs only stick after slurmctld has registered once (before, sacctmgr silently skips them).
if [[ -z $(sacctmgr -n -P show assoc where cluster=alpha account=inference user= format=grptres) ]]; then
  sa modify account where name=inference cluster=alpha set GrpTRES=gres/gpu=2
fi

# --- sshd -------------------------------------------------------------------------------------------
SSHD_CONFIG=$(write_sshd_config alpha "$SSH_PORT" "" "$SLURM_CONF")
/usr/sbin/sshd -t -f "$SSHD_CONFIG" || die "sshd config $SSHD_CONFIG is invalid"
daemon sshd 10 "listening $SSH_PORT" "$SSH_PORT" /usr/sbin/sshd -D -e -f "$SSHD_CONFIG"
write_known_hosts_and_ssh_config

# --- ready ------------------------------------------------------------------------------------------
VERSION=$(sinfo -V | awk '{print $2}')
# shellcheck disable=SC2086
write_cluster_json alpha "$VERSION" "$SSH_PORT" "$(echo $NODES)" "$(echo $PARTITIONS)" "$(echo $GPU_TYPES)"
log "alpha ready (Slurm $VERSION, ssh 127.0.0.1:$SSH_PORT) in $(( ($(date +%s%N) - T0) / 1000000 )) ms"
