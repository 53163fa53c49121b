// `sacct --json` into the model's `AccountingRun`, one per job record. Like `sacct -X`, only the job
// records are read (steps are ignored); like `sacct -D`, every run of a requeued job is its own record,
// told apart by its submit time (see `runKey`).
//
// Where the JSON and sacct's text disagree, we follow the text, because it is the default collection path
// and a run must not change when the path does:
//   - exit codes of 128 and more print minus 128 (see `asSacctPrints`);
//   - 22.05 (dbv0.0.38) prints `return_code: 0` for every job that exited (see families.ts): a signal is
//     kept, 0:0 is kept where it cannot be wrong (COMPLETED, still PENDING or RUNNING, or never started),
//     and any other run's exit code is null, with a warning; `sacct -P -o ExitCode` has the right value;
//   - sacct prints the requester of a cancellation as a uid (`CANCELLED by 1004` → `1004`), the JSON as a
//     user name: `stateDetail` is `alice` from JSON;
//   - `reqTres` is null only where the record has no request list at all (sacct without ReqTRES).
import { z } from 'zod';
import type { JobState } from '../../model/job';
import type { AccountingRun, ExitCode } from '../../model/run';
import { expandNodeField } from '../parse/hostlist';
import { parseEnvelope, mainList } from './envelope';
import type { Family } from './families';
import { asSacctPrints, exitCodeFrom, flexExitCode } from './exit-code';
import { printedJobId } from './job-id';
import { flexJobState, jobStateFrom } from './job-state';
import { convertRecords, field, type JsonResult } from './result';
import { tresFromList, tresList } from './tres-list';
import { epochOrNull, flexNumber, minutesLimit, numberOr, numberOrNull, requiredInteger, textOrNull } from './values';

const str = z.string().nullable().optional();

const jobSchema = z.object({
  job_id: flexNumber,
  name: str,
  user: str,
  account: str,
  partition: str,
  qos: str,
  nodes: str,
  array: z
    .object({ job_id: flexNumber, task_id: flexNumber, task: str, limits: z.object({ max: z.object({ running: z.object({ tasks: flexNumber }).partial() }).partial() }).partial().nullable() })
    .partial()
    .nullable()
    .optional(),
  het: z.object({ job_id: flexNumber, job_offset: flexNumber }).partial().nullable().optional(),
  state: z.object({ current: flexJobState, reason: str }),
  exit_code: flexExitCode,
  kill_request_user: str,
  restart_cnt: flexNumber,
  time: z.object({
    submission: flexNumber,
    eligible: flexNumber,
    start: flexNumber,
    end: flexNumber,
    elapsed: flexNumber,
    limit: flexNumber,
  }),
  tres: z.object({ allocated: tresList, requested: tresList }).partial().nullable().optional(),
});
type SacctRecord = z.infer<typeof jobSchema>;

/** States whose exit code is 0:0 whatever the record says (nothing has exited yet, or exited cleanly). */
const IMPLIED_ZERO = new Set<JobState>(['COMPLETED', 'PENDING', 'RUNNING']);

const ZERO: ExitCode = { code: 0, signal: 0 };

/** 22.05: what can be trusted of a dbv0.0.38 exit code (see the header). */
function exitCode2205(reported: ExitCode | null, state: JobState, startTime: number | null): ExitCode | null {
  if (reported !== null && reported.signal !== 0) return reported;
  if (IMPLIED_ZERO.has(state) || startTime === null) return ZERO;
  return null;
}

function toRun(j: SacctRecord, family: Family): AccountingRun {
  const state = jobStateFrom(j.state.current, 'state.current');
  const jobIdRaw = requiredInteger(j.job_id, 'job_id');
  // An array's record only when it names a task or pending tasks: a cancelled array whose record holds no
  // task prints as a plain id (`1034`), and the text path cannot tell it from a non-array job either.
  const arrayTaskString = textOrNull(j.array?.task ?? null);
  const taskId = numberOrNull(j.array?.task_id, 'array.task_id');
  const arrayJobId = (taskId !== null || arrayTaskString !== null ? numberOrNull(j.array?.job_id, 'array.job_id') : null) || null;
  const arrayTaskId = arrayJobId === null ? null : taskId;
  const nodesExpr = textOrNull(j.nodes ?? null);
  const nodes = nodesExpr === null ? [] : field('nodes', () => expandNodeField(nodesExpr));
  const startTime = epochOrNull(j.time.start, 'time.start');
  const reported = asSacctPrints(exitCodeFrom(j.exit_code, 'exit_code'));
  const exitCode = family.sacctExitCodesReliable ? reported : exitCode2205(reported, state.state, startTime);
  const killer = textOrNull(j.kill_request_user ?? null);
  return {
    jobId: printedJobId({
      jobId: jobIdRaw,
      arrayJobId,
      arrayTaskId,
      arrayTaskString,
      arrayMaxRunning: numberOrNull(j.array?.limits?.max?.running?.tasks, 'array.limits.max.running.tasks'),
      hetJobId: numberOrNull(j.het?.job_id, 'het.job_id'),
      hetJobOffset: numberOrNull(j.het?.job_offset, 'het.job_offset'),
    }),
    jobIdRaw,
    arrayJobId,
    arrayTaskId,
    name: j.name ?? '',
    user: j.user ?? '',
    account: j.account ?? '',
    partition: j.partition ?? '',
    qos: j.qos ?? '',
    state: state.state,
    stateDetail: state.state === 'CANCELLED' ? killer : null,
    exitCode,
    submitTime: epochOrNull(j.time.submission, 'time.submission'),
    eligibleTime: epochOrNull(j.time.eligible, 'time.eligible'),
    startTime,
    endTime: epochOrNull(j.time.end, 'time.end'),
    elapsed: numberOr(j.time.elapsed, 'time.elapsed', 0),
    timeLimit: minutesLimit(j.time.limit, 'time.limit'),
    allocTres: tresFromList(j.tres?.allocated, 'tres.allocated'),
    reqTres: j.tres?.requested === undefined || j.tres.requested === null ? null : tresFromList(j.tres.requested, 'tres.requested'),
    nodesExpr: nodes.length === 0 ? null : nodesExpr,
    nodes,
    restarts: j.restart_cnt === undefined ? null : numberOrNull(j.restart_cnt, 'restart_cnt'),
  };
}

/** `sacct --json` (any of `-a`, `-D`, `-S/-E`; steps in the output are ignored). */
export function normaliseSacctJson(text: string): JsonResult<AccountingRun> {
  const env = parseEnvelope(text, 'sacct');
  const records = mainList(env, 'sacct', ['jobs']);
  const family = env.version.family;
  const { items, errors } = convertRecords('sacct', 'jobs', records, jobSchema, (j) => toRun(j, family));
  if (!family.sacctExitCodesReliable && items.some((r) => r.exitCode === null)) {
    env.warnings.push(
      `${env.version.family.id} (Slurm ${env.version.family.release}) sacct --json reports exit code 0 for every job that exited: ` +
        'exit codes of runs that ran and did not complete are left unknown (null) unless a signal ended them; sacct -P -o ExitCode has them',
    );
  }
  return { items, version: env.version, warnings: env.warnings, errors };
}
