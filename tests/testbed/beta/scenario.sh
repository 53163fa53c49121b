#!/usr/bin/env bash
# Put cluster `beta` into a known, busy state: jobs in every state the console shows, really preempted and
# requeued jobs (partition PriorityTier), an admin requeue, a drained and a dead node. Jobs are `sleep`,
# submitted as the owning users (runuser inside the chroot). Safe to re-run: it first cancels every job
# and brings all nodes back, then builds the state again (sacct keeps the history of earlier runs).
#   sudo tests/testbed/beta/scenario.sh [--wait]
# --wait: also wait for the 1-minute job to reach TIMEOUT, the dead node to show DOWN* and the
#         admin-requeued job to run again (~1.5 min instead of ~15 s).
# Prints the job ids by role as `role=jobid` lines on stdout (logs go to stderr), then squeue/sinfo/sacct.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

wait_all=0
for a in "$@"; do
  case $a in
    --wait) wait_all=1 ;;
    *) die "usage: $0 [--wait]" ;;
  esac
done
require_root "$0 $*"
[[ -s $B/cluster.json ]] || die "beta is not up (no $B/cluster.json); run tests/testbed/beta/up.sh first"
bx scontrol ping >/dev/null || die "slurmctld of beta does not answer; run tests/testbed/beta/up.sh"
export BETA_KEEP_JSON=1
T0=$SECONDS

DRAIN_NODE=dgx-h100-04
DEAD_NODE=cpu-02
CPU_NODE=cpu-01

# sub <user> <sbatch args...>: submit as user from their home directory, print the job id.
sub() { local u=$1; shift; bxu "$u" sbatch --parsable --chdir="/home/$u" "$@" | cut -d';' -f1; }
# state <jobid>: the job's state from slurmctld (first line: arrays print one per task).
state() { bx squeue -h -j "$1" -o %T 2>/dev/null | head -1; }
is_state() { [[ $(state "$1") == "$2" ]]; }
restarts() { bx scontrol -o show job "$1" 2>/dev/null | grep -o 'Restarts=[0-9]*' | head -1 | cut -d= -f2; }
acct_state() { bx sacct -n -X -P -j "$1" -o State 2>/dev/null | tail -1; }
node_state() { bx sinfo -h -n "$1" -o %t 2>/dev/null | head -1; }
declare -A JOB=()
role() { JOB[$1]=$2; echo "$1=$2"; }

# --- 1. Reset: no jobs, all nodes up ---------------------------------------------------------------------
mapfile -t ids < <(bx squeue -h -o %A | sort -un)
if ((${#ids[@]})); then
  log "cancelling ${#ids[@]} jobs of an earlier run"
  bx scancel "${ids[@]}" || true
fi
no_jobs() { [[ -z $(bx squeue -h -t PD,R,S,CG -o %A) ]]; }
wait_for 60 no_jobs || die "jobs did not go away: $(bx squeue -h -o '%A %T' | tr '\n' ' ')"
rm -f "$B/scenario-stopped-nodes"
for n in "${BETA_NODES[@]}"; do beta_start_slurmd "$n"; done
while read -r n st; do
  case $st in drain*|drng*|down*|fail*) bx scontrol update nodename="$n" state=resume reason= 2>/dev/null || true ;; esac
done < <(bx sinfo -h -N -o '%N %t' | sort -u)
nodes_idle() { [[ -z $(bx sinfo -h -N -t down,drain,drng,fail,unk,no_respond -o %N) ]]; }
wait_for 60 nodes_idle || die "nodes did not come back: $(bx sinfo -h -N -o '%N %t' | sort -u | tr '\n' ' ')"
log "reset done ($((SECONDS - T0)) s)"

# --- 2. Node states: a drained GPU node (by the operator) and a dead CPU node ----------------------------
# As root: AdminLevel=Operator may not update nodes ("Invalid user id"), only Administrator may.
bx scontrol update nodename="$DRAIN_NODE" state=drain reason="GPU 2 uncorrectable ECC errors (testbed)"
echo "$DEAD_NODE" >>"$B/scenario-stopped-nodes"   # up.sh leaves it down
track_stop beta "slurmd-$DEAD_NODE"
# Mark it DOWN right away so nothing is scheduled there meanwhile; slurmctld adds `*` (not responding)
# at its next ping (SlurmdTimeout=20 s / 3).
bx scontrol update nodename="$DEAD_NODE" state=down reason="slurmd stopped: node dead (testbed)"

# --- 3. CPU partition: TIMEOUT first (it takes longest), FAILED, COMPLETED, array, running --------------
role timeout "$(sub bob -p cpu -J tokenize-shard --time=1 --wrap 'sleep 600')"
role failed "$(sub opsuser -p cpu -J preprocess-bad --wrap 'sleep 2; echo "bad input" >&2; exit 3')"
role completed "$(sub alice -p cpu -J quick-check --wrap 'sleep 1')"
role array "$(sub alice -p cpu -J sweep-lr --array=1-6%2 --wrap 'sleep 1800')"
role running_cpu "$(sub opscoord -p cpu -J nlp-eval -c 4 --wrap 'sleep 3600')"
role cancelled "$(sub opsuser -p cpu -J wrong-params --wrap 'sleep 3600')"
role requeued "$(sub alice -p cpu -J etl-nightly --wrap 'sleep 3600')"

# --- 4. GPUs: fill dgx-h100-01..03 with requeueable jobs in `preemptible` --------------------------------
role victim1 "$(sub alice -p preemptible --requeue -J pretrain-a --gres=gpu:h100:4 -c 8 --wrap 'sleep 7200')"
role victim2 "$(sub alice -p preemptible --requeue -J pretrain-b --gres=gpu:h100:4 -c 8 --wrap 'sleep 7200')"
role victim3 "$(sub bob -p preemptible --requeue -J finetune-c --gres=gpu:h100:4 -c 8 --wrap 'sleep 7200')"
for r in victim1 victim2 victim3 timeout running_cpu cancelled requeued; do
  wait_for 30 is_state "${JOB[$r]}" RUNNING || die "job ${JOB[$r]} ($r) did not start: $(state "${JOB[$r]}")"
done

# CANCELLED by its owner while running; REQUEUED by the operator (admin requeue).
bxu opsuser scancel "${JOB[cancelled]}"
bxu opsoper scontrol requeue "${JOB[requeued]}"

# --- 5. Preemption: two jobs in the higher-tier `prod` partition requeue two `preemptible` jobs ---------
role prod1 "$(sub opsuser -p prod --qos=high -J serve-vision --gres=gpu:h100:4 -c 8 --wrap 'sleep 7200')"
role prod2 "$(sub bob -p prod -J batch-inference --gres=gpu:h100:4 -c 8 --wrap 'sleep 7200')"
preempted_twice() {
  local n=0 r
  for r in victim1 victim2 victim3; do (( $(restarts "${JOB[$r]}" || echo 0) >= 1 )) && n=$((n + 1)); done
  ((n >= 2)) && is_state "${JOB[prod1]}" RUNNING && is_state "${JOB[prod2]}" RUNNING
}
wait_for 60 preempted_twice || die "preemption did not happen: $(bx squeue -h -o '%A %P %T %r' | tr '\n' ';')"
log "preemption done ($((SECONDS - T0)) s)"

# --- 6. Pending for every reason ----------------------------------------------------------------------
# Resources: same tier as the remaining preemptible job, so it cannot preempt; Priority: behind it, low QOS.
role pending_resources "$(sub alice -p preemptible -J pretrain-d --gres=gpu:h100:4 -c 8 --wrap 'sleep 7200')"
role pending_priority "$(sub bob -p preemptible --qos=low -J sweep-low --gres=gpu:h100:4 -c 8 --wrap 'sleep 7200')"
role pending_dependency "$(sub opsuser -p preemptible -J eval-after-serve --dependency=afterok:"${JOB[prod1]}" --gres=gpu:h100:1 --wrap 'sleep 600')"
role held_user "$(sub alice -p preemptible -H -J held-by-owner --gres=gpu:h100:2 --wrap 'sleep 600')"
# Submitted held (else the prod job would preempt at once), then held by the operator: an admin hold.
role held_admin "$(sub bob -p prod -H -J held-by-operator --gres=gpu:h100:2 --wrap 'sleep 600')"
bxu opsoper scontrol hold "${JOB[held_admin]}"
role pending_begin "$(sub bob -p prod -J nightly-report --begin=now+2hours --gres=gpu:h100:1 --wrap 'sleep 600')"

# --- 7. Checks ----------------------------------------------------------------------------------------
reasons() { bx squeue -h -t PD -o %r | sort -u | tr '\n' ' '; }
has_reasons() { local r; r=" $(reasons)"; for w in Resources Priority Dependency JobHeldUser JobHeldAdmin BeginTime JobArrayTaskLimit; do [[ $r == *" $w "* ]] || return 1; done; }
check() { local what=$1 got=$2 want=$3; [[ $got == *"$want"* ]] || warn "$what: expected $want, got '$got'"; }
wait_for 20 has_reasons || warn "pending reasons: expected Resources Priority Dependency JobHeldUser JobHeldAdmin BeginTime JobArrayTaskLimit, got: $(reasons)"
check "cancelled" "$(acct_state "${JOB[cancelled]}")" "CANCELLED"
victims="${JOB[victim1]},${JOB[victim2]},${JOB[victim3]}"
check "preempted" "$(bx sacct -n -X -D -P -j "$victims" -o State | sort -u | tr '\n' ' ')" "PREEMPTED"
# The requeued run's own record (Restarts=1) reaches slurmdbd a little later than the PREEMPTED one.
t1=$SECONDS
acct_restarted() { bx sacct -n -X -D -P -j "$victims" -o Restarts | grep -q '^[1-9]'; }
wait_for 60 acct_restarted && log "sacct -D shows Restarts>=1 after $((SECONDS - t1)) s" || warn "sacct -D shows no Restarts>=1 for $victims"
check "requeued" "$(bx sacct -n -X -D -P -j "${JOB[requeued]}" -o State | tr '\n' ' ')" "REQUEUED"
wait_for 15 eval '[[ $(acct_state '"${JOB[failed]}"') == FAILED ]]' || warn "failed job is $(acct_state "${JOB[failed]}")"

if ((wait_all)); then
  log "waiting for TIMEOUT (1 min limit), $DEAD_NODE to show DOWN* and the requeued job to run again"
  wait_for 150 eval '[[ $(acct_state '"${JOB[timeout]}"') == TIMEOUT ]]' || warn "timeout job is $(acct_state "${JOB[timeout]}")"
  wait_for 60 eval '[[ $(node_state '"$DEAD_NODE"') == "down*" ]]' || warn "$DEAD_NODE is $(node_state "$DEAD_NODE")"
  wait_for 90 is_state "${JOB[requeued]}" RUNNING || warn "requeued job is $(state "${JOB[requeued]}")"
fi
log "scenario done in $((SECONDS - T0)) s"

{
  echo "== squeue"
  bx squeue -o '%.10i %.12P %.16j %.9u %.10T %.10M %.6D %.14b %R'
  echo "== sinfo -N"
  bx sinfo -N -o '%.12N %.12P %.8t %.14G %E'
  echo "== sacct -D (this run)"
  bx sacct -a -D -X -j "$(IFS=,; echo "${JOB[*]}")" \
    -o JobID%12,JobName%16,User%9,Partition%12,State%22,Restarts,ExitCode,Elapsed,AllocTRES%52
} >&2
