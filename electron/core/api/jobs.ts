// The Jobs view's data: every cluster's queue as of `at`, packed into columns for the bridge, and one
// job's runs from accounting for the detail drawer.
import { DictBuilder, NULL_U32, encodeU32 } from '../../../shared/api/column-codec';
import { ApiError } from '../../../shared/api/errors';
import type { JobRuns, JobsTable, JobsTableCluster } from '../../../shared/api/methods/jobs';
import { jobGpuTypeLabel } from '../../../shared/jobs/job-gpus';
import { formatExitCode, runGpuHours } from '../../../shared/jobs/run-summary';
import type { Tres } from '../../../shared/model/tres';
import { ClustersRepo } from '../store/clusters-repo';
import { JobsRepo, TABLE_COLUMNS, type QueueEntry } from '../store/jobs-repo';
import { RunsRepo } from '../store/runs-repo';
import { SnapshotsRepo } from '../store/snapshots-repo';
import { readTres } from '../store/tres-text';
import type { CoreContext } from './context';
import { snapshotAt } from './time-travel';

/** A queue row from either source: full rows (QueuedJob) or compact history (QueueEntry, no priority). */
interface Row {
  jobIdRaw: number;
  jobId: string;
  name: string;
  user: string;
  account: string;
  partition: string;
  qos: string;
  state: string;
  reason: string | null;
  gpus: number;
  gpuType: string | null;
  nodesExpr: string | null;
  numNodes: number;
  submitTime: number;
  startTime: number | null;
  timeLimit: number | null;
  restarts: number;
  priority: number | null;
}

const COL = Object.fromEntries(TABLE_COLUMNS.map((c, k) => [c, k])) as Record<(typeof TABLE_COLUMNS)[number], number>;

/** TRES of a stored row, read only when it can name a GPU type (most rows never need parsing). */
function typedTres(text: unknown): Tres | null {
  return typeof text === 'string' && text.includes('gres/gpu:') ? readTres(text) : null;
}

/** A full row of jobs_current, with the same GPU count and type label a parsed QueuedJob gives. */
function fromTableRow(v: unknown[]): Row {
  const num = (c: keyof typeof COL) => v[COL[c]] as number;
  const numOrNull = (c: keyof typeof COL) => v[COL[c]] as number | null;
  const str = (c: keyof typeof COL) => v[COL[c]] as string;
  const strOrNull = (c: keyof typeof COL) => v[COL[c]] as string | null;
  const state = str('state');
  const gpuType = strOrNull('gpu_type');
  const numNodes = num('num_nodes');
  const gpusPerNode = numOrNull('gpus_per_node');
  const stored = num('gpus');
  const gpus = stored > 0 ? stored : gpusPerNode !== null ? gpusPerNode * Math.max(1, numNodes) : 0;
  let label = gpuType;
  const alloc = gpus > 0 ? typedTres(v[COL.tres_alloc]) : null;
  if (alloc && alloc.gpu > 0) label = jobGpuTypeLabel({ tresAlloc: alloc, tresReq: alloc, gpuType });
  else if (gpus > 0 && gpuType === null) {
    const req = typedTres(v[COL.tres_req]);
    if (req) label = jobGpuTypeLabel({ tresAlloc: null, tresReq: req, gpuType });
  }
  return {
    jobIdRaw: num('job_id_raw'),
    jobId: str('job_id'),
    name: str('name'),
    user: str('user'),
    account: str('account'),
    partition: str('partition'),
    qos: str('qos'),
    state,
    reason: strOrNull('reason'),
    gpus,
    gpuType: label,
    nodesExpr: strOrNull('nodes_expr'),
    numNodes,
    submitTime: num('submit_time'),
    startTime: state === 'PENDING' ? null : numOrNull('start_time'),
    timeLimit: numOrNull('time_limit'),
    restarts: num('restarts'),
    priority: numOrNull('priority'),
  };
}

function fromEntry(e: QueueEntry): Row {
  return { ...e, priority: null };
}

/** A value for a Uint32 column: null, negatives and non-numbers become NULL_U32; the rest is clamped below it. */
function u32(v: number | null): number {
  if (v === null || !Number.isFinite(v) || v < 0) return NULL_U32;
  return Math.min(Math.round(v), NULL_U32 - 1);
}

export function jobsTable(ctx: CoreContext, at?: number): JobsTable {
  const db = ctx.store.db;
  const clustersRepo = new ClustersRepo(db);
  const snapshots = new SnapshotsRepo(db);
  const jobsRepo = new JobsRepo(db);
  const clusters: JobsTableCluster[] = [];
  const perCluster: Row[][] = [];
  for (const c of clustersRepo.list()) {
    const snap = snapshotAt(db, c.id, 'queue', at);
    const exact = snap ? snapshots.isFull(snap.id, 'queue') : true;
    const rows = !snap ? [] : exact ? jobsRepo.tableRows(snap.id).map(fromTableRow) : jobsRepo.fromSpans(c.id, snap.id).map(fromEntry);
    clusters.push({ name: c.name, asOf: snap?.finishedAt ?? null, timeZone: clustersRepo.capabilities(c.id)?.timeZone ?? null, exact, count: rows.length });
    perCluster.push(rows);
  }
  const count = perCluster.reduce((n, r) => n + r.length, 0);
  const u32Col = () => new Uint32Array(count);
  const cluster = u32Col(), jobIdRaw = u32Col(), gpus = u32Col(), numNodes = u32Col(), submitTime = u32Col();
  const startTime = u32Col(), timeLimit = u32Col(), restarts = u32Col(), priority = u32Col();
  const dict = () => new DictBuilder(count);
  const jobId = dict(), name = dict(), user = dict(), account = dict(), partition = dict(), qos = dict();
  const state = dict(), reason = dict(), gpuType = dict(), nodes = dict();
  let i = 0;
  perCluster.forEach((rows, ci) => {
    for (const r of rows) {
      cluster[i] = ci;
      jobIdRaw[i] = u32(r.jobIdRaw);
      gpus[i] = u32(r.gpus);
      numNodes[i] = u32(r.numNodes);
      submitTime[i] = u32(r.submitTime);
      startTime[i] = u32(r.startTime);
      timeLimit[i] = u32(r.timeLimit);
      restarts[i] = u32(r.restarts);
      priority[i] = u32(r.priority);
      jobId.push(r.jobId);
      name.push(r.name);
      user.push(r.user);
      account.push(r.account);
      partition.push(r.partition);
      qos.push(r.qos);
      state.push(r.state);
      reason.push(r.reason);
      gpuType.push(r.gpuType);
      nodes.push(r.nodesExpr);
      i++;
    }
  });
  return {
    clusters,
    count,
    columns: {
      cluster: encodeU32(cluster),
      jobIdRaw: encodeU32(jobIdRaw),
      jobId: jobId.build(),
      name: name.build(),
      user: user.build(),
      account: account.build(),
      partition: partition.build(),
      qos: qos.build(),
      state: state.build(),
      reason: reason.build(),
      gpus: encodeU32(gpus),
      gpuType: gpuType.build(),
      nodes: nodes.build(),
      numNodes: encodeU32(numNodes),
      submitTime: encodeU32(submitTime),
      startTime: encodeU32(startTime),
      timeLimit: encodeU32(timeLimit),
      restarts: encodeU32(restarts),
      priority: encodeU32(priority),
    },
  };
}

/** Every accounting run of one job (each requeue or preemption is its own run), as of `at`. */
export function jobRuns(ctx: CoreContext, request: { cluster: string; jobIdRaw: number; at?: number | undefined }): JobRuns {
  const db = ctx.store.db;
  const clustersRepo = new ClustersRepo(db);
  const stored = clustersRepo.get(request.cluster);
  if (!stored) throw new ApiError('bad-request', `no cluster named ${JSON.stringify(request.cluster)}`);
  const accounting = snapshotAt(db, stored.id, 'accounting', request.at);
  const at = request.at;
  // Runs are stored in their newest form; as of an earlier time only those submitted by then existed.
  const runs = new RunsRepo(db).runsOfJob(stored.id, request.jobIdRaw).filter((r) => at === undefined || r.submitTime === null || r.submitTime <= at);
  return {
    cluster: stored.name,
    jobIdRaw: request.jobIdRaw,
    timeZone: clustersRepo.capabilities(stored.id)?.timeZone ?? null,
    accountingAt: accounting?.finishedAt ?? null,
    runs: runs.map((r) => ({
      jobId: r.jobId,
      state: r.state,
      stateDetail: r.stateDetail,
      submitTime: r.submitTime,
      startTime: r.startTime,
      endTime: r.endTime,
      elapsed: r.elapsed,
      nodes: r.nodesExpr,
      exitCode: formatExitCode(r.exitCode),
      gpus: r.allocTres.gpu,
      gpuTypes: r.allocTres.gpuByType,
      gpuHours: runGpuHours(r),
      partition: r.partition,
      qos: r.qos,
      restarts: r.restarts,
    })),
  };
}
