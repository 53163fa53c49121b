#!/usr/bin/env bash
# Put jobs and nodes of cluster "alpha" into every state the console must show. Jobs are just `sleep`.
#
#   sudo tests/testbed/alpha/scenario.sh          # ~20 s; ends with squeue/sinfo
#   sudo tests/testbed/alpha/scenario.sh --wait   # also waits (~2 min) until TIMEOUT, the down node
#                                                 # (DOWN*) and the preemption are visible in sacct/sinfo
#
# Safe to run again: it first brings the cluster up (alpha/up.sh restarts the stopped slurmd), cancels
# every job still queued or running on alpha and resumes the drained node, then builds the picture
# anew with new job IDs. Finished jobs of earlier runs stay in sacct (history only grows).
# Job IDs by role are written to $STATE/alpha/scenario.json for tests.
#
# What it produces (nodes: gpu-a100-0[1-3] 4x a100, gpu-v100-0[1-2] 2x v100, cpu-0[1-3]):
#   nodes:   gpu-a100-03 DRAINED reason "xid 79: GPU fell off the bus"; cpu-03 slurmd stopped -> DOWN*
#   running: alice low-QOS a100 job; opsuser high-QOS a100x4 job (the preemptor); v100 array tasks of
#            bob (inference) and alice (nlp); cpu jobs of alice, bob and an opsuser array
#   pending: Resources, Priority, Dependency, JobHeldUser, JobHeldAdmin, BeginTime, array tasks
#            pending (Resources and AssocGrpGRES: account inference has GrpTRES=gres/gpu=2),
#            the preempted job (BeginTime for cred_expire=30 s, then -- measured -- "Nodes required
#            for job are DOWN, DRAINED or reserved for jobs in higher priority partitions", because
#            the only free a100 node is the drained one)
#   Which of the two 8-CPU jobs shows Resources and which Priority depends on fair share and can swap
#   while usage accrues; scenario.json names the one seen at the end of the run.
#   22.05 has no sacct field Restarts (24.11 has): use `scontrol show job` (Restarts=1) or count
#   the runs in `sacct -D`.
#   done:    COMPLETED, FAILED (exit 3), CANCELLED, TIMEOUT (1 min limit; ~70-100 s after submit;
#            measured on 22.05.8: `sacct -X` shows ExitCode 0:0 on the TIMEOUT job line and the batch
#            step CANCELLED 0:15 -- not 0:15 on the job line as the notes had it),
#            PREEMPTED (sacct -D: a PREEMPTED run plus the new run under the same JobID),
#            REQUEUED (requeued by opsoper, an Operator; sacct -D shows the REQUEUED run)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
TESTBED_CLUSTER=alpha

wait_outcomes=0
case "${1:-}" in
  --wait) wait_outcomes=1 ;;
  "") ;;
  *) echo "usage: $0 [--wait]" >&2; exit 2 ;;
esac
require_root "$HERE/scenario.sh $*"

D=$STATE/alpha
export SLURM_CONF=$D/etc/slurm.conf
DRAIN_NODE=gpu-a100-03
DOWN_NODE=cpu-03
DRAIN_REASON="xid 79: GPU fell off the bus"
T0=$(date +%s)

# --- back to a clean, fully up cluster ---------------------------------------------------------------
rm -f "$D/scenario-stopped-nodes"
bash "$HERE/up.sh"      # restarts the slurmd stopped by the previous run
log "cancelling jobs of earlier runs"
for u in alice bob opsuser opscoord opsoper root; do scancel --user="$u" 2>/dev/null || true; done
no_jobs() { [[ -z $(squeue -h -o %i) ]]; }
wait_for 60 no_jobs || warn "some jobs are still completing: $(squeue -h -o '%i %T' | tr '\n' ' ')"
rm -f "$D/scenario.json"
scontrol update nodename="$DRAIN_NODE" state=resume 2>/dev/null || true
node_up() { sinfo -h -n "$1" -o %T | grep -Eqv 'down|drain|\*'; }
wait_for 40 node_up "$DOWN_NODE" || warn "$DOWN_NODE did not come back: $(sinfo -h -n "$DOWN_NODE" -o %T)"

# --- helpers -----------------------------------------------------------------------------------------
# sub <user> <sbatch args...>: submit as the user, print the job id.
sub() {
  local u=$1; shift
  runuser -u "$u" -- sbatch --parsable --chdir=/tmp -o /dev/null -e /dev/null "$@" | cut -d';' -f1
}
state_of() { squeue -h -j "$1" -o %T 2>/dev/null | head -1; }
is_running() { [[ $(state_of "$1") == RUNNING ]]; }
sacct_states() { sacct -n -X -D -P -j "$1" -o State 2>/dev/null | tr '\n' ' '; }
declare -A ROLE=()

# --- nodes: one drained with a GPU reason, one dead ---------------------------------------------------
scontrol update nodename="$DRAIN_NODE" state=drain reason="$DRAIN_REASON"
log "drained $DRAIN_NODE ($DRAIN_REASON); stopping slurmd of $DOWN_NODE (DOWN* after SlurmdTimeout=30 s)"
track_stop alpha "slurmd-$DOWN_NODE"
echo "$DOWN_NODE" >>"$D/scenario-stopped-nodes"   # up.sh leaves it down
# Until slurmctld notices the dead slurmd it still schedules onto it: CPU jobs exclude it.
CPU=(-p cpu --exclude="$DOWN_NODE")

# --- short jobs that finish: COMPLETED, FAILED, TIMEOUT; targets for cancel and requeue --------------
ROLE[completed]=$(sub opsuser "${CPU[@]}" -J preprocess-shards -t 5 --wrap 'sleep 3')
ROLE[failed]=$(sub alice "${CPU[@]}" -J tokenize-corpus -t 5 --wrap 'sleep 2; exit 3')
ROLE[timeout]=$(sub bob "${CPU[@]}" -J eval-sweep -t 1 --wrap 'sleep 600')
ROLE[cancelled]=$(sub alice "${CPU[@]}" -J notebook-session -t 60 --wrap 'sleep 3600')
ROLE[requeued]=$(sub opsuser "${CPU[@]}" -J feature-extract -t 120 --requeue --wrap 'sleep 3600')

# --- GPUs: low-QOS victims on a100, arrays on v100 ---------------------------------------------------
ROLE[low_a]=$(sub alice -p gpu-low --qos=low --requeue -A nlp -J llm-finetune-lowprio --gres=gpu:a100:4 -c 8 -t 360 --wrap 'sleep 7200')
ROLE[low_b]=$(sub bob -p gpu-low --qos=low --requeue -A nlp -J ablation-lowprio --gres=gpu:a100:2 -c 4 -t 360 --wrap 'sleep 7200')
# bob's account inference is capped at 2 GPUs: 2 tasks run, 2 wait with AssocGrpGRES.
ROLE[array_bob]=$(sub bob -p gpu -A inference -J serve-bench --array=0-3 --gres=gpu:v100:1 -c 2 -t 240 --wrap 'sleep 3600')
# alice gets the other 2 v100: 2 tasks run, 2 wait for Resources.
ROLE[array_alice]=$(sub alice -p gpu -A nlp -J hparam-search --array=0-3 --gres=gpu:v100:1 -c 2 -t 240 --wrap 'sleep 3600')

wait_for 30 eval "is_running ${ROLE[low_a]} && is_running ${ROLE[low_b]} && is_running ${ROLE[cancelled]} && is_running ${ROLE[requeued]}" \
  || warn "not all jobs started: $(squeue -h -o '%i %T %r' | tr '\n' ';')"

# --- CANCELLED by its owner; REQUEUED by an operator ---------------------------------------------------
runuser -u alice -- scancel "${ROLE[cancelled]}"
if ! runuser -u opsoper -- scontrol requeue "${ROLE[requeued]}"; then
  warn "opsoper could not requeue ${ROLE[requeued]}; requeueing as root"
  scontrol requeue "${ROLE[requeued]}"
fi

# --- real preemption: a high-QOS job needs all 4 a100 of a node held by low-QOS jobs ------------------
ROLE[preemptor]=$(sub opsuser -p gpu --qos=high -A vision -J resnet-train-urgent --gres=gpu:a100:4 -c 8 -t 480 --wrap 'sleep 7200')

# --- CPU nodes: running jobs across users, then pending Resources and Priority -----------------------
ROLE[cpu_alice]=$(sub alice "${CPU[@]}" -J data-loader -c 4 -t 480 --wrap 'sleep 7200')
ROLE[cpu_bob]=$(sub bob "${CPU[@]}" -A nlp -J log-indexer -c 2 -t 480 --wrap 'sleep 7200')
ROLE[array_opsuser]=$(sub opsuser "${CPU[@]}" -J augment --array=1-3 -c 2 -t 480 --wrap 'sleep 7200')
# Only once these run (else the scheduler may start a bigger, higher-priority job first): with 14 of
# 16 CPUs busy, an 8-CPU job waits for Resources and the one behind it for Priority.
none_pending() { [[ -z $(squeue -h -t PD -o %i -j "$(IFS=,; echo "$*")") ]]; }
wait_for 30 none_pending "${ROLE[cpu_alice]}" "${ROLE[cpu_bob]}" "${ROLE[array_opsuser]}" \
  || warn "CPU jobs did not all start: $(squeue -h -p cpu -o '%i %T %r' | tr '\n' ';')"
big1=$(sub opsuser "${CPU[@]}" -J big-merge -c 8 -t 120 --wrap 'sleep 600')
big2=$(sub alice "${CPU[@]}" -J big-shuffle -c 8 -t 120 --wrap 'sleep 600')

# --- other pending reasons ----------------------------------------------------------------------------
ROLE[pending_dependency]=$(sub alice -p gpu -A nlp -J llm-eval --dependency=afterok:"${ROLE[low_a]}" --gres=gpu:a100:1 -t 60 --wrap 'sleep 600')
ROLE[held_user]=$(sub opsuser -p gpu -J held-by-me -H --gres=gpu:v100:1 -t 60 --wrap 'sleep 600')
ROLE[held_admin]=$(sub bob -p gpu -A nlp -J held-by-admin --gres=gpu:a100:1 -t 60 --wrap 'sleep 600')
scontrol hold "${ROLE[held_admin]}"
ROLE[pending_begin]=$(sub opsuser "${CPU[@]}" -J nightly-report --begin=now+2hours -t 30 --wrap 'sleep 60')

# --- preemption must really have happened (victim requeued under the same JobID) ---------------------
preempted_job() {
  local j
  for j in "${ROLE[low_a]}" "${ROLE[low_b]}"; do
    [[ $(sacct_states "$j") == *PREEMPTED* ]] && { echo "$j"; return 0; }
  done
  return 1
}
wait_for 60 preempted_job || warn "no low-QOS job was preempted yet (see $D/log/slurmctld.log)"
ROLE[preempted]=$(preempted_job || true)

# --- optional: wait for the slow outcomes ---------------------------------------------------------------
if ((wait_outcomes)); then
  log "waiting for TIMEOUT (${ROLE[timeout]}) and $DOWN_NODE DOWN* (up to ~2 min)"
  timed_out() { [[ $(sacct_states "${ROLE[timeout]}") == *TIMEOUT* ]]; }
  node_down() { sinfo -h -n "$DOWN_NODE" -o %T | grep -q 'down'; }
  wait_for 240 timed_out || warn "job ${ROLE[timeout]} did not time out: $(sacct_states "${ROLE[timeout]}")"
  wait_for 120 node_down || warn "$DOWN_NODE is not down: $(sinfo -h -n "$DOWN_NODE" -o %T)"
  [[ -n ${ROLE[preempted]} ]] || { wait_for 60 preempted_job || warn "still no preemption"; }
  all_done() {
    local k
    for k in completed failed cancelled; do
      [[ $(sacct -n -X -P -j "${ROLE[$k]}" -o State) =~ ^(COMPLETED|FAILED|CANCELLED) ]] || return 1
    done
  }
  wait_for 30 all_done || warn "some short jobs did not finish"
fi

# Which of the two 8-CPU jobs waits for Resources and which for Priority depends on their priorities
# (fair share moves as usage accrues: they may even swap later).
reason_of() { squeue -h -j "$1" -o %r; }
wait_for 15 eval '[[ $(reason_of $big1) != None && $(reason_of $big2) != None ]]' || true
if [[ $(reason_of "$big2") == Resources ]]; then
  ROLE[pending_resources]=$big2; ROLE[pending_priority]=$big1
else
  ROLE[pending_resources]=$big1; ROLE[pending_priority]=$big2
fi

# --- record job ids for tests ---------------------------------------------------------------------------
{
  echo "{"
  echo "  \"cluster\": \"alpha\", \"createdAt\": $(date +%s), \"drainedNode\": \"$DRAIN_NODE\","
  echo "  \"drainReason\": \"$DRAIN_REASON\", \"downNode\": \"$DOWN_NODE\","
  echo "  \"jobs\": {"
  first=1
  for k in $(printf '%s\n' "${!ROLE[@]}" | sort); do
    ((first)) || echo ","
    printf '    "%s": %s' "$k" "${ROLE[$k]:-null}"; first=0
  done
  printf '\n  }\n}\n'
} >"$D/scenario.json.new"
mv "$D/scenario.json.new" "$D/scenario.json"; chmod 644 "$D/scenario.json"

# --- show the result -------------------------------------------------------------------------------------
sinfo -N -o '%12N %14T %20G %E' | uniq >&2
squeue -o '%.12i %.9P %.22j %.8u %.10q %.8T %.10M %.20b %R' >&2
sacct -a -D -X -P -j "$(printf '%s\n' "${ROLE[@]}" | sort -un | paste -sd,)" -o JobID,JobName,User,QOS,State,ExitCode,NodeList >&2
log "scenario done in $(( $(date +%s) - T0 )) s; job ids in $D/scenario.json"
