// The job queue from `scontrol -d -o show job` (scontrolJobsCommand, SLURM_TIME_FORMAT=%s) into the same `QueuedJob` records
// `parseSqueue` makes from `squeue -a -h -O …`: a persistent interactive scontrol can answer it without a
// new process per poll. Lines are split by the shared job-line splitter in scontrol-job.ts.
//
// scontrol prints every job slurmctld still holds; squeue shows only some of them and reshapes a few
// values. What this parser does to give squeue's answer (checked against both on Slurm 22.05 and 24.11):
//
// - Hidden partitions: `squeue -a` lists their jobs; scontrol only with `-a` (interactive: `all`).
//
// - Jobs: squeue's default state filter keeps jobs whose base state is pending, running or suspended, and
//   those completing or staging out; finished jobs kept for MinJobAge are dropped here as there.
//   scontrol prints one state word, a flag's name winning over the base state (`REQUEUE_HOLD`,
//   `CONFIGURING`): flag words of a live job are kept, `REVOKED` (a federation sibling gone) is not.
// - Array tasks: squeue folds pending tasks that were split off an array (requeued ones) back into the
//   array's pending record when name and partition match: `388_[5-6%2]` + pending `388_1`, `388_2` is
//   printed as `388_[1-2,5-6]` (Slurm's bit_fmt, which has no throttle suffix), with the tasks' different
//   reasons appended (`JobArrayTaskLimit,Resources`). Done here the same way.
// - TRES: squeue's `tres-alloc` is the allocated TRES, else the requested ones; 22.05's `TRES=` is the same
//   choice, 23.02+ print `AllocTRES=` and `ReqTRES=` apart. `tresReq` takes that value, as parseSqueue does.
// - Reason: scontrol turns the white space of a reason text (slurmctld's own description, e.g. `Nodes
//   required for job are DOWN, DRAINED or reserved …`) into `_`; reason codes never contain `_`, so `_` is
//   turned back into spaces. Limit: an underscore that was in the text itself (a node name inside
//   `ReqNodeNotAvail, UnavailableNodes:gpu_01`) comes back as a space, where squeue prints `_`.
// - NumNodes: scontrol prints `min-max` for pending jobs (`1-2`, `2-2`); squeue prints the first.
// - `jobId`: squeue's `%i` is rebuilt from ArrayJobId/ArrayTaskId (`123_4`, `123_[5-9%2]`) or
//   HetJobId/HetJobOffset (`123+1`).
import type { JobState, QueuedJob } from '../../model/job';
import { emptyTres } from '../../model/tres';
import { parseDuration, timeLimitSeconds } from './duration';
import { SlurmParseError } from './errors';
import { expandNodeField } from './hostlist';
import { parseJobId } from './job-id';
import { isUnset } from './key-value';
import { parseDecimal, parseInteger } from './numbers';
import type { ParseResult } from './result';
import { scontrolJobLines, splitScontrolJobLine } from './scontrol-job';
import type { ClusterTimeOptions } from './scontrol-node';
import { parseJobState } from './states';
import { parseSlurmTime } from './time';
import { parseGresRequest, parseTres } from './tres';

/** States squeue lists without `-t`: every base or flag state of a job that is not finished. */
const LISTED_STATES: ReadonlySet<JobState> = new Set<JobState>([
  'PENDING', 'RUNNING', 'SUSPENDED', 'COMPLETING', 'STAGE_OUT', 'CONFIGURING', 'RESIZING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED',
  'SPECIAL_EXIT', 'RESV_DEL_HOLD', 'STOPPED', 'SIGNALING',
]);

/** Flag states whose base state is pending (what squeue's IS_JOB_PENDING sees). */
const PENDING_BASE: ReadonlySet<JobState> = new Set<JobState>(['PENDING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'SPECIAL_EXIT', 'RESV_DEL_HOLD']);

/** One queue record before squeue's folding of split pending array tasks. */
interface Row {
  job: QueuedJob;
  /** True for an array's own record that holds a pending task range. */
  holdsRange: boolean;
  pendingBase: boolean;
}

function leadingInteger(value: string | undefined, what: string, line: string): number {
  const m = /^(\d+)(-\d+)?$/.exec(value ?? '');
  if (!m) throw new SlurmParseError('scontrol-job', `bad ${what}= "${value ?? ''}"`, line);
  return parseInteger(m[1] as string, 'scontrol-job');
}

/** `UserId=alice(1004)` → `alice`; an unknown user (`(null)(1234)`, `1234(1234)`) → its uid, as squeue prints it. */
function userName(value: string): string {
  const m = /^(.*)\((\d+)\)$/.exec(value);
  if (!m) return value;
  const name = m[1] as string;
  return name === '' || name === '(null)' ? (m[2] as string) : name;
}

function reasonText(value: string | undefined): string | null {
  if (isUnset(value)) return null;
  return (value as string).includes('_') ? (value as string).replace(/_/g, ' ') : (value as string);
}

/** squeue's `%i`: `123`, `123_4`, `123_[5-9%2]`, `123+1`. */
function typedJobId(values: Map<string, string>, jobIdRaw: number, line: string): string {
  const arrayJob = values.get('ArrayJobId');
  const arrayTask = values.get('ArrayTaskId');
  if (arrayJob !== undefined && !isUnset(arrayTask)) {
    const base = parseInteger(arrayJob, 'scontrol-job');
    return /^\d+$/.test(arrayTask as string) ? `${base}_${arrayTask as string}` : `${base}_[${arrayTask as string}]`;
  }
  const het = values.get('HetJobId');
  const offset = values.get('HetJobOffset');
  if (het !== undefined && offset !== undefined && !isUnset(het)) {
    return `${parseInteger(het, 'scontrol-job')}+${parseInteger(offset, 'scontrol-job')}`;
  }
  if (arrayJob !== undefined && isUnset(arrayTask)) throw new SlurmParseError('scontrol-job', 'ArrayJobId= without ArrayTaskId=', line);
  return String(jobIdRaw);
}

/** The record squeue would print for one line, or null when squeue would not list the job. */
function toRow(line: string, lineNo: number, options: ClusterTimeOptions): Row | null {
  const { values } = splitScontrolJobLine(line, lineNo);
  const need = (key: string): string => {
    const v = values.get(key);
    if (v === undefined) throw new SlurmParseError('scontrol-job', `no ${key}=`, line, lineNo);
    return v;
  };
  const state = parseJobState(need('JobState')).state;
  if (!LISTED_STATES.has(state)) return null;
  const pendingBase = PENDING_BASE.has(state);
  const jobIdRaw = parseInteger(need('JobId'), 'scontrol-job');
  const jobId = typedJobId(values, jobIdRaw, line);
  const parsedId = parseJobId(jobId);
  const isArray = parsedId.arrayTaskId !== null || parsedId.arrayTaskRange !== null;
  // 22.05: TRES= (allocated, else requested). 23.02+: AllocTRES=, else ReqTRES= — squeue's tres-alloc.
  const alloc = values.get('AllocTRES');
  const tresText = isUnset(alloc) ? (values.get('ReqTRES') ?? values.get('TRES')) : alloc;
  const tres = isUnset(tresText) ? emptyTres() : parseTres(tresText as string);
  const request = parseGresRequest(values.get('TresPerNode') ?? '');
  const submitTime = parseSlurmTime(need('SubmitTime'), options.timeZone);
  if (submitTime === null) throw new SlurmParseError('scontrol-job', 'job without a submit time', line, lineNo);
  const nodeList = values.get('NodeList') ?? '';
  const pending = state === 'PENDING';
  const dependency = values.get('Dependency');
  const job: QueuedJob = {
    jobId,
    jobIdRaw,
    arrayJobId: isArray ? parsedId.baseId : null,
    arrayTaskId: isArray ? parsedId.arrayTaskId : null,
    arrayTaskRange: parsedId.arrayTaskRange,
    name: values.get('JobName') ?? '',
    user: userName(need('UserId')),
    account: need('Account'),
    partition: need('Partition'),
    qos: need('QOS'),
    state,
    reason: reasonText(values.get('Reason')),
    priority: parseDecimal(need('Priority'), 'scontrol-job'),
    tresReq: tres,
    tresAlloc: pending ? null : tres,
    gpusPerNode: request.gpus > 0 ? request.gpus : null,
    gpuType: request.gpuType,
    nodesExpr: isUnset(nodeList) ? null : nodeList,
    nodes: expandNodeField(nodeList),
    numNodes: leadingInteger(values.get('NumNodes'), 'NumNodes', line),
    numCpus: leadingInteger(values.get('NumCPUs'), 'NumCPUs', line),
    submitTime,
    // A pending job's StartTime is the scheduler's estimate, not a start (as parseSqueue).
    startTime: pending ? null : parseSlurmTime(need('StartTime'), options.timeZone),
    endTime: pending ? null : parseSlurmTime(need('EndTime'), options.timeZone),
    timeLimit: timeLimitSeconds(parseDuration(need('TimeLimit'))),
    restarts: parseInteger(values.get('Restarts') ?? '0', 'scontrol-job'),
    batch: values.get('BatchFlag') === '1',
    requeueable: values.get('Requeue') === '1',
    dependency: isUnset(dependency) ? null : (dependency as string),
  };
  return { job, holdsRange: parsedId.arrayTaskRange !== null, pendingBase };
}

// ---- squeue's folding of split pending array tasks (print.c _combine_pending_array_tasks) ---------------

/** Task ids of a range text `1-2,5-6%2`, `0-15:4`. */
function rangeTasks(range: string): number[] {
  const out: number[] = [];
  for (const part of range.replace(/%\d+$/, '').split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (!m) throw new SlurmParseError('job-id', 'bad array task range', range);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (hi < lo || step < 1 || hi - lo > 1_000_000) throw new SlurmParseError('job-id', 'bad array task range', range);
    for (let t = lo; t <= hi; t += step) out.push(t);
  }
  return out;
}

/** Slurm's bit_fmt: sorted ids as `a-b` runs and single ids, comma-separated, no throttle. */
function formatTasks(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    runs.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return runs.join(',');
}

function combinePendingArrayTasks(rows: Row[]): Row[] {
  const removed = new Set<Row>();
  for (const owner of rows) {
    if (!owner.pendingBase || !owner.holdsRange || removed.has(owner)) continue;
    const o = owner.job;
    const tasks = rangeTasks(o.arrayTaskRange as string);
    let reason = o.reason;
    let merged = 0;
    for (const task of rows) {
      const t = task.job;
      if (task === owner || removed.has(task) || !task.pendingBase || t.arrayJobId !== o.arrayJobId || t.arrayTaskId === null) continue;
      if (t.name !== o.name || t.partition !== o.partition) continue;
      merged++;
      // _merge_job_reason: a different reason of a task is appended once.
      if (t.reason !== o.reason && t.reason !== null) {
        const base = reason ?? 'None';
        reason = base.includes(t.reason) ? base : `${base},${t.reason}`;
      }
      tasks.push(t.arrayTaskId);
      removed.add(task);
    }
    if (merged === 0) continue;
    const range = formatTasks(tasks);
    owner.job = { ...o, jobId: `${o.arrayJobId as number}_[${range}]`, arrayTaskRange: range, reason };
  }
  return rows.filter((r) => !removed.has(r));
}

/** Parse `scontrol [-a] -d -o show job` output (SLURM_TIME_FORMAT=%s) into what parseSqueue gives for squeue. */
/**
 * A line whose every ` JobState=` word is a state squeue does not list: a finished job, skipped without
 * splitting the line (scontrol keeps finished jobs for MinJobAge, often more of them than live ones).
 * Every occurrence must agree, so free text that happens to contain `JobState=` can never hide a live job.
 */
function surelyFinished(line: string): boolean {
  let seen = false;
  for (let at = line.indexOf(' JobState='); at !== -1; at = line.indexOf(' JobState=', at + 1)) {
    const from = at + 10;
    let to = line.indexOf(' ', from);
    if (to === -1) to = line.length;
    let state: JobState;
    try {
      state = parseJobState(line.slice(from, to)).state;
    } catch {
      return false; // not a state word: the full parse reports the line
    }
    if (LISTED_STATES.has(state)) return false;
    seen = true;
  }
  return seen;
}

export function parseScontrolQueue(output: string, options: ClusterTimeOptions): ParseResult<QueuedJob> {
  const rows: Row[] = [];
  const errors: SlurmParseError[] = [];
  for (const { text, line } of scontrolJobLines(output)) {
    if (surelyFinished(text)) continue;
    try {
      const row = toRow(text, line, options);
      if (row) rows.push(row);
    } catch (err) {
      if (!(err instanceof SlurmParseError)) throw err;
      errors.push(err.line === null ? new SlurmParseError(err.parser, err.reason, err.input, line) : err);
    }
  }
  return { items: combinePendingArrayTasks(rows).map((r) => r.job), errors };
}
