#!/usr/bin/env bash
# Bring up cluster `beta`: Slurm 24.11 (Debian 13) in a chroot under $STATE/beta/root, with its own munge,
# MariaDB, slurmdbd, slurmctld, one slurmd per node and sshd on 127.0.0.1:$BETA_SSH_PORT.
# Idempotent: on a healthy cluster it changes nothing; dead pieces are restarted. Writes
# $STATE/beta/cluster.json last. Usage: sudo tests/testbed/beta/up.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=rootfs.sh
source "$HERE/rootfs.sh"

require_root "$0"
T0=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - T0) / 1000000 )) ms"; }

# write_if_changed <file> <mode>: stdin to file unless identical; returns 0 if it changed.
write_if_changed() {
  local f=$1 mode=$2 tmp
  tmp=$(mktemp "$f.XXXX"); cat >"$tmp"; chmod "$mode" "$tmp"
  if [[ -f $f ]] && cmp -s "$tmp" "$f"; then rm -f "$tmp"; return 1; fi
  mv "$tmp" "$f"; return 0
}
render() {  # render <template>: substitute @VARS@
  sed -e "s|@B@|$B|g" -e "s|@HOST@|$BETA_HOST|g" -e "s|@CTLD_PORT@|$BETA_CTLD_PORT|g" \
      -e "s|@DBD_PORT@|$BETA_DBD_PORT|g" -e "s|@SLURMD_PORT0@|$BETA_SLURMD_PORT|g" "$HERE/conf/$1"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Nothing of beta running at all (after down.sh or a reboot): every job slurmctld still thinks is running
# lost its processes. slurmctld would keep them RUNNING forever (all nodes share the host's boot time, so
# it never sees a reboot), so they are requeued once slurmctld is back.
# (Cheap checks only: without a cgroup, track_remaining scans every process's environment, ~2 s.)
beta_fresh() {
  local n cg
  if [[ -s $B/pids/order ]]; then
    while read -r n; do track_alive beta "$n" && return 1; done <"$B/pids/order"
  fi
  cg=$(cat "$B/cgroup" 2>/dev/null) || return 0
  [[ -z $(cat "$cg/cgroup.procs" 2>/dev/null) ]]
}
fresh=0
beta_fresh && fresh=1

# --- 1. Root file system ------------------------------------------------------------------------------
mkdir -p "$B"
tarball=$(beta_rootfs_tarball)
[[ -s $tarball ]] || beta_build_rootfs || die "building the beta rootfs failed"
if [[ ! -f $ROOT/.testbed-rootfs || $(<"$ROOT/.testbed-rootfs") != "$(basename "$tarball")" ]]; then
  if [[ -d $ROOT ]]; then
    log "rootfs is outdated; stopping beta and replacing it"
    track_stop_all beta; beta_umount
    rm -rf --one-file-system "$ROOT"
  fi
  log "unpacking $(basename "$tarball")"
  rm -rf --one-file-system "$ROOT.new"; mkdir -p "$ROOT.new"
  zstd -dc "$tarball" | tar -C "$ROOT.new" --numeric-owner -xpf -
  basename "$tarball" >"$ROOT.new/.testbed-rootfs"
  mv "$ROOT.new" "$ROOT"
  log "rootfs ready ($(elapsed))"
fi

# --- 2. Chroot setup: hosts, users, dirs, devices, mounts, configs --------------------------------------
printf '127.0.0.1\tlocalhost %s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$BETA_HOST" \
  | write_if_changed "$ROOT/etc/hosts" 644 || true
ensure_users "$ROOT"
ensure_keys
MUNGE_UID=$(beta_uid munge); MUNGE_GID=$(beta_gid munge)
MYSQL_UID=$(beta_uid mysql); MYSQL_GID=$(beta_gid mysql)
[[ -n $MUNGE_UID && -n $MYSQL_UID ]] || die "munge/mysql users missing in $ROOT"

mkdir -p "$B"/{etc,spool/ctld,run,log,dev,munge,mysql,run/munge,run/mysqld}
for n in "${BETA_NODES[@]}"; do mkdir -p "$B/spool/d-$n"; done
chmod 755 "$B" "$B"/{etc,spool,run,log,dev}
chown "$MUNGE_UID:$MUNGE_GID" "$B/munge" "$B/run/munge"; chmod 700 "$B/munge"; chmod 755 "$B/run/munge"
chown "$MYSQL_UID:$MYSQL_GID" "$B/mysql" "$B/run/mysqld"; chmod 750 "$B/mysql"; chmod 755 "$B/run/mysqld"
# Fake H100s: character devices (slurmd rejects regular files), shared by the 4 GPU nodes.
for ((i = 0; i < BETA_GPUS_PER_NODE; i++)); do
  [[ -c $B/dev/nvidia$i ]] || { rm -f "$B/dev/nvidia$i"; mknod -m 666 "$B/dev/nvidia$i" c 195 "$i"; }
done
if [[ ! -s $B/munge/munge.key ]]; then
  dd if=/dev/urandom of="$B/munge/munge.key" bs=1024 count=1 status=none
fi
chown "$MUNGE_UID:$MUNGE_GID" "$B/munge/munge.key"; chmod 400 "$B/munge/munge.key"

beta_mount

# Slurm configs. Node lines: one per node for its own slurmd port.
nodes="" port=$BETA_SLURMD_PORT
for n in "${BETA_GPU_NODES[@]}"; do
  nodes+="NodeName=$n NodeHostname=$BETA_HOST NodeAddr=127.0.0.1 Port=$port CPUs=32 Boards=1 SocketsPerBoard=2 CoresPerSocket=16 ThreadsPerCore=1 RealMemory=256000 Gres=gpu:h100:$BETA_GPUS_PER_NODE Feature=gpu,h100,nvlink Weight=10 State=UNKNOWN"$'\n'
  port=$((port + 1))
done
for n in "${BETA_CPU_NODES[@]}"; do
  nodes+="NodeName=$n NodeHostname=$BETA_HOST NodeAddr=127.0.0.1 Port=$port CPUs=16 Boards=1 SocketsPerBoard=1 CoresPerSocket=16 ThreadsPerCore=1 RealMemory=64000 Feature=cpu Weight=1 State=UNKNOWN"$'\n'
  port=$((port + 1))
done
slurm_changed=0
render slurm.conf.in | awk -v nodes="${nodes%$'\n'}" '$0 == "@NODES@" {print nodes; next} {print}' \
  | write_if_changed "$B/etc/slurm.conf" 644 && slurm_changed=1
render gres.conf.in | write_if_changed "$B/etc/gres.conf" 644 && slurm_changed=1
render cgroup.conf.in | write_if_changed "$B/etc/cgroup.conf" 644 && slurm_changed=1
render slurmdbd.conf.in | write_if_changed "$B/etc/slurmdbd.conf" 600 || true
render my.cnf.in | write_if_changed "$B/etc/my.cnf" 644 || true
# Plain `sinfo` etc. inside the chroot (runuser, ssh without SetEnv) find the config too.
mkdir -p "$ROOT/etc/slurm"
[[ $(readlink "$ROOT/etc/slurm/slurm.conf" 2>/dev/null) == "$B/etc/slurm.conf" ]] || ln -sfn "$B/etc/slurm.conf" "$ROOT/etc/slurm/slurm.conf"

# --- 3. munge -------------------------------------------------------------------------------------------
if ! track_alive beta munged; then
  rm -f "$B/run/munge/munge.socket.2" "$B/run/munge/munge.socket.2.lock"
  beta_daemon munged --userspec="$MUNGE_UID:$MUNGE_GID" /usr/sbin/munged -F --num-threads=2 \
    --key-file="$B/munge/munge.key" --socket="$B/run/munge/munge.socket.2" \
    --pid-file="$B/munge/munged.pid" --log-file="$B/munge/munged.log" --seed-file="$B/munge/munged.seed"
fi
munge_ok() { bx sh -c "munge -s beta-ok -S '$B/run/munge/munge.socket.2' | unmunge -S '$B/run/munge/munge.socket.2'"; }
wait_for 10 munge_ok || { beta_check_alive munged "$B/munge/munged.log"; die "munge does not answer"; }

# --- 4. MariaDB -----------------------------------------------------------------------------------------
if ! track_alive beta mariadb; then
  if [[ ! -d $B/mysql/mysql ]]; then
    log "initialising MariaDB in $B/mysql"
    bx mariadb-install-db --defaults-file="$B/etc/my.cnf" --auth-root-authentication-method=socket \
      --skip-test-db >"$B/log/mariadb-install.out" 2>&1 || { tail "$B/log/mariadb-install.out" >&2; die "mariadb-install-db failed"; }
  fi
  rm -f "$B/run/mysqld/mysqld.sock"
  beta_daemon mariadb /usr/sbin/mariadbd --defaults-file="$B/etc/my.cnf"
fi
wait_for 30 bx mariadb-admin --defaults-file="$B/etc/my.cnf" ping || { beta_check_alive mariadb "$B/log/mariadb.err"; die "MariaDB does not answer"; }
# Create slurmdbd's database up front: when slurmdbd has to create it, its first connect fails with
# ER_BAD_DB_ERROR and reusing that MYSQL handle with trixie's libmariadb3 (1:11.8.9) breaks every later
# result ("5027 Number of columns in result (=1) set execeeds maxmimum allowed number of columns (=0)").
bx mariadb --defaults-file="$B/etc/my.cnf" -e 'CREATE DATABASE IF NOT EXISTS slurm_acct_db' \
  || die "cannot create slurm_acct_db"

# --- 5. slurmdbd and the accounting tree ----------------------------------------------------------------
if ! track_alive beta slurmdbd; then rm -f "$B/run/slurmdbd.pid"; beta_daemon slurmdbd /usr/sbin/slurmdbd -D; fi
wait_for 30 bx sacctmgr -n -P show cluster format=cluster || { beta_check_alive slurmdbd "$B/log/slurmdbd.log"; die "slurmdbd does not answer"; }

sam() { bx sacctmgr -i "$@" >>"$B/log/sacctmgr.out" 2>&1 || true; }   # "Nothing new added" exits non-zero
if [[ ! -f $B/accounting.done ]]; then
  log "creating accounts, users and QOS"
  sam add cluster beta
  sam add qos high,low
  sam modify qos where name=normal set Priority=10 UsageFactor=1.0
  sam modify qos where name=high set Priority=100 UsageFactor=2.0
  sam modify qos where name=low set Priority=0 UsageFactor=0.5
  sam add account research,production,ops cluster=beta parent=root Description=testbed Organization=testbed
  sam add account vision,nlp cluster=beta parent=research Description=testbed Organization=testbed
  sam add account inference cluster=beta parent=production Description=testbed Organization=testbed
  sam modify account where name=research cluster=beta set fairshare=60
  sam modify account where name=production cluster=beta set fairshare=30
  sam modify account where name=ops cluster=beta set fairshare=10
  sam modify account where name=vision,nlp cluster=beta set fairshare=50
  sam add user opsuser account=vision cluster=beta
  sam add user alice,opscoord account=nlp cluster=beta
  sam add user bob account=inference cluster=beta
  sam add user opsoper account=ops cluster=beta AdminLevel=Operator
  sam add coordinator account=nlp names=opscoord
  sam modify user where name=opsuser,alice,bob,opscoord,opsoper cluster=beta set qos=normal,high,low defaultqos=normal
  # Check the result rather than exit codes.
  users=$(bx sacctmgr -n -P show assoc cluster=beta format=user | sort -u | tr '\n' ' ')
  for u in opsuser alice bob opscoord opsoper; do [[ " $users " == *" $u "* ]] || die "accounting: user $u missing (see $B/log/sacctmgr.out)"; done
  bx sacctmgr -n -P show user opsoper format=adminlevel | grep -qi operator || die "accounting: opsoper is not Operator"
  bx sacctmgr -n -P show account nlp withcoord format=coordinators | grep -q opscoord || die "accounting: opscoord is not coordinator of nlp"
  bx sacctmgr -n -P show assoc cluster=beta user=alice format=qos | grep -q high || die "accounting: QOS high not granted"
  touch "$B/accounting.done"
fi

# --- 6. slurmctld ---------------------------------------------------------------------------------------
if ! track_alive beta slurmctld; then
  rm -f "$B/run/slurmctld.pid"   # slurmctld SIGTERMs whatever PID a stale pid file names
  beta_daemon slurmctld /usr/sbin/slurmctld -D
  slurm_changed=0
fi
wait_for 30 bx scontrol ping || { beta_check_alive slurmctld "$B/log/slurmctld.log"; die "slurmctld does not answer"; }
if ((slurm_changed)); then log "slurm.conf changed: scontrol reconfigure"; bx scontrol reconfigure || true; fi
if ((fresh)); then
  mapfile -t lost < <(bx squeue -h -t R,S -o %i)
  if ((${#lost[@]})); then
    log "requeueing ${#lost[@]} jobs that were running when beta went down"
    bx scontrol requeue "$(IFS=,; echo "${lost[*]}")" || warn "requeue of ${lost[*]} failed"
  fi
fi

# --- 7. slurmd, one per node (except nodes scenario.sh stopped on purpose) --------------------------------
stopped=" $(tr '\n' ' ' 2>/dev/null <"$B/scenario-stopped-nodes" || true) "
for n in "${BETA_NODES[@]}"; do
  [[ $stopped == *" $n "* ]] && { log "leaving $n down (stopped by scenario.sh; down.sh or scenario.sh restore it)"; continue; }
  beta_start_slurmd "$n"
done
nodes_ready() {
  local n st bad=0
  while read -r n st; do
    [[ $stopped == *" $n "* ]] && continue
    case $st in *'*'*|down*|unk*|inval*|fail*) bad=1 ;; esac
  done < <(bx sinfo -h -N -o '%N %t' | sort -u)
  return $bad
}
if ! wait_for 40 nodes_ready; then
  for n in "${BETA_NODES[@]}"; do [[ $stopped == *" $n "* ]] || beta_check_alive "slurmd-$n" "$B/log/slurmd-$n.log"; done
  bx sinfo -N >&2; die "nodes did not come up"
fi

# GPU limits need slurmctld to have registered the TRES once (before, sacctmgr silently skips them).
if [[ ! -f $B/accounting-limits.done ]]; then
  sam modify account where name=nlp cluster=beta set GrpTRES=gres/gpu=12
  sam modify account where name=vision cluster=beta set GrpTRES=gres/gpu=16
  sam modify qos where name=low set MaxTRESPerUser=gres/gpu=8
  bx sacctmgr -n -P show assoc cluster=beta account=nlp user= format=grptres | grep -q 'gres/gpu=12' \
    && touch "$B/accounting-limits.done" || warn "GPU limits not applied yet (next up.sh retries)"
fi

# --- 8. sshd --------------------------------------------------------------------------------------------
sshd_cfg=$(write_sshd_config beta "$BETA_SSH_PORT" "$ROOT" "$B/etc/slurm.conf")
if ! track_alive beta sshd; then
  bx /usr/sbin/sshd -t -f "$sshd_cfg" || die "sshd config test failed"
  beta_daemon sshd /usr/sbin/sshd -D -e -f "$sshd_cfg"
fi
wait_for 10 port_open "$BETA_SSH_PORT" || { beta_check_alive sshd; die "sshd does not listen on $BETA_SSH_PORT"; }
write_known_hosts_and_ssh_config

# --- 9. cluster.json (last) -----------------------------------------------------------------------------
version=$(bx sinfo -V | awk '{print $2}')
write_cluster_json beta "$version" "$BETA_SSH_PORT" "${BETA_NODES[*]}" "${BETA_PARTITIONS[*]}" "${BETA_GPU_TYPES[*]}"
log "beta is up (Slurm $version, ssh 127.0.0.1:$BETA_SSH_PORT) in $(elapsed)"
