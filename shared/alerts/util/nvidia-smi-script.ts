// The two ways to run nvidia-smi on compute nodes from the login host, each as ONE exec channel: a fixed
// POSIX sh script (`sh -c SCRIPT sh ARGS…`) whose variable parts — job ids, node names, the nvidia-smi path,
// limits — arrive as positional arguments, quoted by shared/slurm/quote.ts like every other argv. Nothing a
// user typed is ever pasted into script text. Items run with bounded parallelism, each under `timeout`
// (when the login host has it); every item's output is collected in its own temp file and printed in the
// tagged form parseSmiScriptOutput() reads, so a slow or failing node cannot garble the others.
//
// - `srun`: per running GPU job, `srun --overlap --jobid=<id> -N <nodes> --ntasks-per-node=1` runs one
//   task per node of the job, inside the job: it works for the user's own jobs without root (slurmctld
//   refuses steps in other users' jobs, even to root: "Access/permission denied", measured on 22.05).
//   Without --gres the step gets all of the job's GPUs (Slurm's default for steps; measured on 22.05:
//   SLURM_STEP_GPUS=0,1,2,3 for a job with gpu:4(IDX:0-3)), and --overlap lets it share them and the CPUs
//   with the job's running steps. The task prints the node name ($SLURMD_NODENAME), the step's GPU indices
//   as Slurm numbers them ($SLURM_STEP_GPUS) and nvidia-smi's lines. With ConstrainDevices=yes the step's
//   cgroup shows only the job's GPUs and nvidia-smi renumbers them from 0: the collector then maps them by
//   PCI bus order onto SLURM_STEP_GPUS (gpu-mapping.ts).
// - `ssh`: per node, `ssh -o BatchMode=yes <node> nvidia-smi …` from the login host: needs node logins
//   (admins; pam_slurm_adopt refuses users without a job there), sees every GPU of the node.
import { NVIDIA_SMI_FIELDS } from './nvidia-smi';

/** A node name as Slurm allows it and as ssh / a file name can take it. */
export const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** A path or program name for nvidia-smi: no shell or option characters, not starting with `-`. */
export const PROGRAM_PATH = /^[A-Za-z0-9_./][A-Za-z0-9_./+-]{0,254}$/;

export interface SmiScriptLimits {
  /** Items (jobs or nodes) at once. */
  parallel: number;
  /** Seconds per item (srun / ssh + nvidia-smi). */
  timeoutSec: number;
  /** nvidia-smi as the nodes know it. */
  program: string;
}

export const DEFAULT_SMI_LIMITS: SmiScriptLimits = { parallel: 8, timeoutSec: 20, program: 'nvidia-smi' };

/** Bytes of nvidia-smi output kept per item (a node with 8 GPUs prints ~1 KB), and of stderr. */
const ITEM_OUT_BYTES = 262_144;
const ITEM_ERR_BYTES = 4_096;

const QUERY = NVIDIA_SMI_FIELDS.join(',');

/**
 * Scripts are one line (statements joined by `; `): the command line passes through the user's login shell
 * first, and csh-family shells refuse a newline inside a quoted argument.
 */
const line = (...statements: string[]): string => statements.join('; ');

/** Runs on each node inside the job step: $0 = nvidia-smi, $1 = the fields. */
const STEP_SCRIPT = line(
  'n=${SLURMD_NODENAME:-$(hostname -s)}',
  'printf \'%s|gpus|%s|%s\\n\' "$n" "${SLURM_STEP_GPUS-${SLURM_JOB_GPUS-}}" "${CUDA_VISIBLE_DEVICES-}"',
  'out=$("$0" --query-gpu="$1" --format=csv,noheader,nounits 2>&1)',
  'rc=$?',
  'printf \'%s\\n\' "$out" | sed "s/^/$n|smi|/"',
  'printf \'%s|rc|%s\\n\' "$n" "$rc"',
);

/** Shared by both scripts: temp dir, optional `timeout`, batches of $par items, then the tagged output. */
function loginScript(setup: string, runBody: string, keyOf: string): string {
  return line(
    setup,
    'set -u',
    `d=$(mktemp -d "\${TMPDIR:-/tmp}/clusterops-util.XXXXXX") || { echo 'cannot create a temporary directory' >&2; exit 70; }`,
    "trap 'rm -rf \"$d\"' EXIT",
    "trap 'exit 143' HUP INT TERM",
    'if command -v timeout >/dev/null 2>&1; then T="timeout -k 2 $tmo"; else T=; fi',
    `run() { ${runBody}; }`,
    'i=0',
    'for s in "$@"; do run "$s" & i=$((i + 1)); if [ "$i" -ge "$par" ]; then wait; i=0; fi; done',
    'wait',
    `for s in "$@"; do k=${keyOf}; head -c ${ITEM_OUT_BYTES} "$d/$k.out" 2>/dev/null | sed "s/^/J|$k|/"; head -c ${ITEM_ERR_BYTES} "$d/$k.err" 2>/dev/null | sed "s/^/E|$k|/"; printf 'X|%s|%s\\n' "$k" "$(cat "$d/$k.rc" 2>/dev/null)"; done`,
  );
}

/** $1 = par, $2 = timeout, $3 = nvidia-smi, $4 = fields, $5 = step script; then `<jobid>:<nodes>` items. */
const SRUN_SCRIPT = loginScript(
  'par=$1; tmo=$2; smi=$3; q=$4; step=$5; shift 5',
  line(
    'k=${1%%:*}',
    'nn=${1#*:}',
    '$T srun --overlap --jobid="$k" -N "$nn" --ntasks-per-node=1 --input=none -Q sh -c "$step" "$smi" "$q" >"$d/$k.out" 2>"$d/$k.err" </dev/null',
    'echo "$?" >"$d/$k.rc"',
  ),
  '${s%%:*}',
);

/** $1 = par, $2 = timeout, $3 = nvidia-smi, $4 = fields; then node names. */
const SSH_SCRIPT = loginScript(
  'par=$1; tmo=$2; smi=$3; q=$4; shift 4; ct=$((tmo < 10 ? tmo : 10))',
  line(
    'k=$1',
    '$T ssh -n -T -o BatchMode=yes -o ConnectTimeout="$ct" -- "$k" "$smi" "--query-gpu=$q" --format=csv,noheader,nounits >"$d/$k.raw" 2>"$d/$k.err" </dev/null',
    'echo "$?" >"$d/$k.rc"',
    'sed "s/^/$k|smi|/" "$d/$k.raw" >"$d/$k.out"',
  ),
  '$s',
);

function checkLimits(l: SmiScriptLimits): void {
  if (!Number.isInteger(l.parallel) || l.parallel < 1 || l.parallel > 64) throw new Error(`parallel must be 1..64, not ${l.parallel}`);
  if (!Number.isInteger(l.timeoutSec) || l.timeoutSec < 2 || l.timeoutSec > 600) throw new Error(`timeoutSec must be 2..600, not ${l.timeoutSec}`);
  if (!PROGRAM_PATH.test(l.program)) throw new Error(`refusing nvidia-smi path ${JSON.stringify(l.program)}`);
}

export interface SrunTarget {
  /** Slurm's numeric id of the job record (`JobId=`, also for an array task). */
  jobIdRaw: number;
  numNodes: number;
}

/** argv for the `srun` way: one exec for all `targets` (the user's own running GPU jobs). */
export function srunSmiArgv(targets: readonly SrunTarget[], limits: SmiScriptLimits = DEFAULT_SMI_LIMITS): string[] {
  checkLimits(limits);
  const items = targets.map((t) => {
    if (!Number.isSafeInteger(t.jobIdRaw) || t.jobIdRaw <= 0) throw new Error(`refusing job id ${JSON.stringify(t.jobIdRaw)}`);
    if (!Number.isInteger(t.numNodes) || t.numNodes < 1 || t.numNodes > 100_000) throw new Error(`refusing node count ${t.numNodes} for job ${t.jobIdRaw}`);
    return `${t.jobIdRaw}:${t.numNodes}`;
  });
  return ['sh', '-c', SRUN_SCRIPT, 'sh', String(limits.parallel), String(limits.timeoutSec), limits.program, QUERY, STEP_SCRIPT, ...new Set(items)];
}

/** argv for the `ssh` way: one exec for all `nodes`. */
export function sshSmiArgv(nodes: readonly string[], limits: SmiScriptLimits = DEFAULT_SMI_LIMITS): string[] {
  checkLimits(limits);
  for (const n of nodes) if (!NODE_NAME.test(n)) throw new Error(`refusing node name ${JSON.stringify(n)}`);
  return ['sh', '-c', SSH_SCRIPT, 'sh', String(limits.parallel), String(limits.timeoutSec), limits.program, QUERY, ...new Set(nodes)];
}

/** A deadline for the whole exec: batches of `parallel` items, each up to `timeoutSec` (+ kill grace), plus slack. */
export function smiExecTimeoutMs(items: number, limits: SmiScriptLimits): number {
  const batches = Math.max(1, Math.ceil(items / limits.parallel));
  return (batches * (limits.timeoutSec + 3) + 10) * 1000;
}

/** Output cap for the whole exec. */
export function smiExecMaxBytes(items: number): number {
  return Math.min(64 * 1024 * 1024, Math.max(1, items) * (ITEM_OUT_BYTES + ITEM_ERR_BYTES + 4096) * 2);
}
