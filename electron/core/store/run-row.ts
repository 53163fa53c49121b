// An AccountingRun as one positional row of the `runs` table and back. Positional (an array in column
// order) because a million-row ingest binds it straight to a prepared statement and moves it between
// threads as part of one flat array: no per-row objects, no per-row key lookups. Values are checked here,
// so a run that cannot be stored faithfully is refused with the run named, not truncated by SQLite.
import type { AccountingRun } from '../../../shared/model/run';
import { expandNodeField } from '../../../shared/slurm/parse/hostlist';
import { StoreError } from './errors';
import { formatGpuTypes, formatOtherTres, formatTres, readTres, type TresFormatCache } from './tres-text';

export const RUN_COLUMNS = [
  'cluster_id', 'job_id_raw', 'submit_time', 'job_id', 'array_job_id', 'array_task_id', 'name', 'user',
  'account', 'partition', 'qos', 'state', 'state_detail', 'exit_code', 'exit_signal', 'eligible_time',
  'start_time', 'end_time', 'elapsed', 'time_limit', 'cpus', 'mem_mib', 'nodes_alloc', 'billing', 'gpus',
  'gpu_types', 'tres_other', 'req_tres', 'nodes_expr', 'restarts',
] as const;
export const RUN_WIDTH = RUN_COLUMNS.length;
if (RUN_WIDTH !== 30) throw new Error('runToRow writes 30 columns: update it with RUN_COLUMNS');

/** Column positions, for code that reads a row tuple (usage rollup, comparisons). */
export const RC = Object.fromEntries(RUN_COLUMNS.map((c, i) => [c, i])) as { [K in (typeof RUN_COLUMNS)[number]]: number };

export type RunValue = number | string | null;
export type RunRow = RunValue[];

function int(run: AccountingRun, what: string, v: number | null, nullable: boolean): number | null {
  if (v === null && nullable) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new StoreError('bad-value', `run ${run.jobId} (raw ${run.jobIdRaw}): ${what} ${String(v)} is not a non-negative integer`);
  }
  return v;
}

function text(run: AccountingRun, what: string, v: string | null, nullable: boolean): string | null {
  if (v === null && nullable) return null;
  if (typeof v !== 'string') throw new StoreError('bad-value', `run ${run.jobId}: ${what} is not text`);
  return v;
}

/**
 * The row for `run` on cluster `clusterId`, in RUN_COLUMNS order. Pass `out` to fill an existing array (the
 * ingest worker reuses one for a million rows instead of allocating each), and `formats` when the run's
 * TRES objects are shared ones (the sacct parser's `shared` mode) to format each distinct one once.
 */
export function runToRow(clusterId: number, run: AccountingRun, out: RunRow = new Array<RunValue>(RUN_WIDTH), formats?: TresFormatCache): RunRow {
  const t = run.allocTres;
  let gpuTypes: string;
  let other: string;
  let req: string | null;
  try {
    if (formats) {
      const parts = formats.gpuTypesAndOther(t);
      gpuTypes = parts[0];
      other = parts[1];
      req = run.reqTres === null ? null : formats.tres(run.reqTres);
    } else {
      gpuTypes = formatGpuTypes(t.gpuByType);
      other = formatOtherTres(t.other);
      req = run.reqTres === null ? null : formatTres(run.reqTres);
    }
  } catch (err) {
    throw new StoreError('bad-value', `run ${run.jobId} (raw ${run.jobIdRaw}): ${(err as Error).message}`, { cause: err });
  }
  out[0] = clusterId;
  out[1] = int(run, 'JobIDRaw', run.jobIdRaw, false);
  // Unknown submit time is 0, as runKey() has it: a key column cannot be NULL.
  out[2] = int(run, 'Submit', run.submitTime ?? 0, false);
  out[3] = text(run, 'JobID', run.jobId, false);
  out[4] = int(run, 'array job id', run.arrayJobId, true);
  out[5] = int(run, 'array task id', run.arrayTaskId, true);
  out[6] = text(run, 'JobName', run.name, false);
  out[7] = text(run, 'User', run.user, false);
  out[8] = text(run, 'Account', run.account, false);
  out[9] = text(run, 'Partition', run.partition, false);
  out[10] = text(run, 'QOS', run.qos, false);
  out[11] = text(run, 'State', run.state, false);
  out[12] = text(run, 'state detail', run.stateDetail, true);
  out[13] = int(run, 'exit code', run.exitCode === null ? null : run.exitCode.code, true);
  out[14] = int(run, 'exit signal', run.exitCode === null ? null : run.exitCode.signal, true);
  out[15] = int(run, 'Eligible', run.eligibleTime, true);
  out[16] = int(run, 'Start', run.startTime, true);
  out[17] = int(run, 'End', run.endTime, true);
  out[18] = int(run, 'Elapsed', run.elapsed, false);
  out[19] = int(run, 'Timelimit', run.timeLimit, true);
  out[20] = int(run, 'AllocTRES cpu', t.cpu, false);
  out[21] = int(run, 'AllocTRES mem', t.memMiB, false);
  out[22] = int(run, 'AllocTRES node', t.node, false);
  out[23] = int(run, 'AllocTRES billing', t.billing, false);
  out[24] = int(run, 'AllocTRES gres/gpu', t.gpu, false);
  out[25] = gpuTypes === '' ? null : gpuTypes;
  out[26] = other === '' ? null : other;
  out[27] = req;
  out[28] = text(run, 'NodeList', run.nodesExpr, true);
  out[29] = int(run, 'Restarts', run.restarts, true);
  return out;
}

/** A `runs` row as better-sqlite3 returns it (an object by column name). */
export type RunRecord = { [K in (typeof RUN_COLUMNS)[number]]: RunValue };

export function recordToRun(r: RunRecord): AccountingRun {
  const alloc = readTres([r.gpu_types, r.tres_other].filter((s) => s !== null && s !== '').join(','));
  alloc.cpu = r.cpus as number;
  alloc.memMiB = r.mem_mib as number;
  alloc.node = r.nodes_alloc as number;
  alloc.billing = r.billing as number;
  alloc.gpu = r.gpus as number;
  const nodesExpr = r.nodes_expr as string | null;
  return {
    jobId: r.job_id as string,
    jobIdRaw: r.job_id_raw as number,
    arrayJobId: r.array_job_id as number | null,
    arrayTaskId: r.array_task_id as number | null,
    name: r.name as string,
    user: r.user as string,
    account: r.account as string,
    partition: r.partition as string,
    qos: r.qos as string,
    state: r.state as string,
    stateDetail: r.state_detail as string | null,
    exitCode: r.exit_code === null ? null : { code: r.exit_code as number, signal: r.exit_signal as number },
    submitTime: r.submit_time === 0 ? null : (r.submit_time as number),
    eligibleTime: r.eligible_time as number | null,
    startTime: r.start_time as number | null,
    endTime: r.end_time as number | null,
    elapsed: r.elapsed as number,
    timeLimit: r.time_limit as number | null,
    allocTres: alloc,
    reqTres: r.req_tres === null ? null : readTres(r.req_tres as string),
    nodesExpr,
    nodes: nodesExpr === null ? [] : expandNodeField(nodesExpr),
    restarts: r.restarts as number | null,
  };
}

/** Two rows equal in every column (a re-sent run that did not change needs no write). */
export function sameRow(a: readonly RunValue[], b: readonly RunValue[]): boolean {
  for (let i = 0; i < RUN_WIDTH; i++) if (a[i] !== b[i]) return false;
  return true;
}
