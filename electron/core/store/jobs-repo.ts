// The queue at a snapshot. The latest few queue snapshots are kept whole in jobs_current; every queue
// snapshot also updates job_spans, the compact history that answers "the queue as of S" for older
// snapshots: one row per job per stretch of unchanged state, reason, placement and size. Priority and the
// pending start estimate change on every cycle and are left out of spans (and so missing from answers that
// come from spans: `exact: false`).
import { jobGpuCount } from '../../../shared/fleet/cluster-status';
import type Database from 'better-sqlite3';
import type { QueueCountRow } from '../../../shared/fleet/cluster-status';
import type { QueuedJob } from '../../../shared/model/job';
import { expandNodeField } from '../../../shared/slurm/parse/hostlist';
import { StoreError } from './errors';
import { formatTres, readTres } from './tres-text';
import { prepared } from './prepared';

/** A job as job_spans remembers it. */
export interface QueueEntry {
  jobId: string;
  jobIdRaw: number;
  arrayJobId: number | null;
  arrayTaskId: number | null;
  arrayTaskRange: string | null;
  name: string;
  user: string;
  account: string;
  partition: string;
  qos: string;
  state: string;
  reason: string | null;
  /** GPUs allocated (running) or requested (pending). */
  gpus: number;
  gpuType: string | null;
  nodesExpr: string | null;
  numNodes: number;
  numCpus: number;
  submitTime: number;
  /** Null for pending jobs (their start is an estimate that changes every cycle). */
  startTime: number | null;
  timeLimit: number | null;
  restarts: number;
  /** First queue snapshot in which the job looked like this. */
  since: number;
}

const JOB_COLUMNS = [
  'snapshot_id', 'job_id_raw', 'job_id', 'array_job_id', 'array_task_id', 'array_task_range', 'name', 'user', 'account',
  'partition', 'qos', 'state', 'reason', 'priority', 'tres_req', 'tres_alloc', 'gpus', 'gpus_per_node', 'gpu_type',
  'nodes_expr', 'num_nodes', 'num_cpus', 'submit_time', 'start_time', 'end_time', 'time_limit', 'restarts', 'batch',
  'requeueable', 'dependency',
] as const;

/** What `tableRows` returns per job, in this order (TRES in the store's Slurm notation). */
export const TABLE_COLUMNS = [
  'job_id_raw', 'job_id', 'name', 'user', 'account', 'partition', 'qos', 'state', 'reason', 'priority', 'gpus',
  'gpus_per_node', 'gpu_type', 'tres_req', 'tres_alloc', 'nodes_expr', 'num_nodes', 'submit_time', 'start_time', 'time_limit', 'restarts',
] as const;

/** job_spans columns after (cluster_id, job_id_raw, from_snapshot, to_snapshot). */
const SPAN_COLUMNS = [
  'job_id', 'array_job_id', 'array_task_id', 'array_task_range', 'name', 'user', 'account', 'partition', 'qos', 'state',
  'reason', 'gpus', 'gpu_type', 'nodes_expr', 'num_nodes', 'num_cpus', 'submit_time', 'start_time', 'time_limit', 'restarts',
] as const;


function spanValues(job: QueuedJob): (string | number | null)[] {
  return [
    job.jobId, job.arrayJobId, job.arrayTaskId, job.arrayTaskRange, job.name, job.user, job.account, job.partition, job.qos,
    job.state, job.reason, jobGpuCount(job), job.gpuType, job.nodesExpr, job.numNodes, job.numCpus, job.submitTime,
    job.state === 'PENDING' ? null : job.startTime, job.timeLimit, job.restarts,
  ];
}

/** Values compared to decide whether a job changed: JSON of the span values keeps null apart from "null". */
const spanKey = (values: readonly unknown[]) => JSON.stringify(values);

type JobRecord = { [K in (typeof JOB_COLUMNS)[number]]: string | number | null };

function recordToJob(r: JobRecord): QueuedJob {
  const nodesExpr = r.nodes_expr as string | null;
  return {
    jobId: r.job_id as string,
    jobIdRaw: r.job_id_raw as number,
    arrayJobId: r.array_job_id as number | null,
    arrayTaskId: r.array_task_id as number | null,
    arrayTaskRange: r.array_task_range as string | null,
    name: r.name as string,
    user: r.user as string,
    account: r.account as string,
    partition: r.partition as string,
    qos: r.qos as string,
    state: r.state as string,
    reason: r.reason as string | null,
    priority: r.priority as number,
    tresReq: readTres(r.tres_req as string),
    tresAlloc: r.tres_alloc === null ? null : readTres(r.tres_alloc as string),
    gpusPerNode: r.gpus_per_node as number | null,
    gpuType: r.gpu_type as string | null,
    nodesExpr,
    nodes: nodesExpr === null ? [] : expandNodeField(nodesExpr),
    numNodes: r.num_nodes as number,
    numCpus: r.num_cpus as number,
    submitTime: r.submit_time as number,
    startTime: r.start_time as number | null,
    endTime: r.end_time as number | null,
    timeLimit: r.time_limit as number | null,
    restarts: r.restarts as number,
    batch: r.batch === 1,
    requeueable: r.requeueable === 1,
    dependency: r.dependency as string | null,
  };
}

function spanToEntry(r: Record<string, string | number | null>): QueueEntry {
  return {
    jobId: r.job_id as string,
    jobIdRaw: r.job_id_raw as number,
    arrayJobId: r.array_job_id as number | null,
    arrayTaskId: r.array_task_id as number | null,
    arrayTaskRange: r.array_task_range as string | null,
    name: r.name as string,
    user: r.user as string,
    account: r.account as string,
    partition: r.partition as string,
    qos: r.qos as string,
    state: r.state as string,
    reason: r.reason as string | null,
    gpus: r.gpus as number,
    gpuType: r.gpu_type as string | null,
    nodesExpr: r.nodes_expr as string | null,
    numNodes: r.num_nodes as number,
    numCpus: r.num_cpus as number,
    submitTime: r.submit_time as number,
    startTime: r.start_time as number | null,
    timeLimit: r.time_limit as number | null,
    restarts: r.restarts as number,
    since: r.from_snapshot as number,
  };
}

export class JobsRepo {
  constructor(private readonly db: Database.Database) {}

  /** Store the whole queue of a snapshot (inside the snapshot's transaction). */
  writeCurrent(snapshotId: number, jobs: readonly QueuedJob[]): void {
    const insert = prepared(this.db, `INSERT INTO jobs_current VALUES (${JOB_COLUMNS.map(() => '?').join(', ')})`);
    for (const j of jobs) {
      try {
        insert.run(
          snapshotId, j.jobIdRaw, j.jobId, j.arrayJobId, j.arrayTaskId, j.arrayTaskRange, j.name, j.user, j.account,
          j.partition, j.qos, j.state, j.reason, j.priority, formatTres(j.tresReq), j.tresAlloc === null ? null : formatTres(j.tresAlloc),
          jobGpuCount(j), j.gpusPerNode, j.gpuType, j.nodesExpr, j.numNodes, j.numCpus, j.submitTime, j.startTime, j.endTime,
          j.timeLimit, j.restarts, j.batch ? 1 : 0, j.requeueable ? 1 : 0, j.dependency,
        );
      } catch (err) {
        if (err instanceof StoreError) throw err;
        throw new StoreError('bad-value', `job ${j.jobId} (raw ${j.jobIdRaw}) cannot be stored: ${(err as Error).message}`, { cause: err });
      }
    }
  }

  /** Move job_spans to snapshot `snapshotId`: extend unchanged jobs, start spans for new or changed ones, end the rest. */
  updateSpans(clusterId: number, snapshotId: number, jobs: readonly QueuedJob[]): { opened: number; closed: number } {
    const open = new Map<number, { from: number; key: string }>();
    const rows = prepared(this.db, `SELECT job_id_raw, from_snapshot, ${SPAN_COLUMNS.join(', ')} FROM job_spans WHERE cluster_id = ? AND to_snapshot IS NULL`)
      .raw(true)
      .all(clusterId) as unknown[][];
    for (const r of rows) open.set(r[0] as number, { from: r[1] as number, key: spanKey(r.slice(2)) });
    const close = prepared(this.db, 'UPDATE job_spans SET to_snapshot = ? WHERE cluster_id = ? AND job_id_raw = ? AND from_snapshot = ?');
    const insert = prepared(this.db, 
      `INSERT INTO job_spans (cluster_id, job_id_raw, from_snapshot, to_snapshot, ${SPAN_COLUMNS.join(', ')}) VALUES (?, ?, ?, NULL, ${SPAN_COLUMNS.map(() => '?').join(', ')})`,
    );
    let opened = 0;
    let closed = 0;
    for (const job of jobs) {
      const values = spanValues(job);
      const current = open.get(job.jobIdRaw);
      open.delete(job.jobIdRaw);
      if (current && current.key === spanKey(values)) continue;
      if (current) {
        close.run(snapshotId, clusterId, job.jobIdRaw, current.from);
        closed++;
      }
      insert.run(clusterId, job.jobIdRaw, snapshotId, ...values);
      opened++;
    }
    for (const [raw, span] of open) {
      close.run(snapshotId, clusterId, raw, span.from);
      closed++;
    }
    return { opened, closed };
  }

  /** The full rows of a queue snapshot (empty if retention already thinned it out: check isFull first). */
  current(snapshotId: number): QueuedJob[] {
    return (prepared(this.db, 'SELECT * FROM jobs_current WHERE snapshot_id = ? ORDER BY job_id_raw').all(snapshotId) as JobRecord[]).map(recordToJob);
  }

  /** What the status counts need of each job of a queue snapshot (three columns, no JSON, no objects per field). */
  countRows(snapshotId: number): QueueCountRow[] {
    return prepared(this.db, 'SELECT state, array_task_range AS arrayTaskRange, gpus FROM jobs_current WHERE snapshot_id = ?')
      .all(snapshotId) as QueueCountRow[];
  }

  /**
   * The columns of a queue snapshot a table shows, one array of values per job in TABLE_COLUMNS order,
   * without reading TRES or expanding hostlists (a 50k-job queue in a fraction of `current`'s time).
   */
  tableRows(snapshotId: number): unknown[][] {
    return prepared(this.db, `SELECT ${TABLE_COLUMNS.join(', ')} FROM jobs_current WHERE snapshot_id = ? ORDER BY job_id_raw`)
      .raw(true)
      .all(snapshotId) as unknown[][];
  }

  /** The queue as job_spans remember it at queue snapshot `snapshotId` of the cluster. */
  fromSpans(clusterId: number, snapshotId: number): QueueEntry[] {
    const rows = prepared(this.db, `SELECT * FROM job_spans WHERE cluster_id = ? AND (to_snapshot > ? OR to_snapshot IS NULL) AND from_snapshot <= ? ORDER BY job_id_raw`)
      .all(clusterId, snapshotId, snapshotId) as Record<string, string | number | null>[];
    return rows.map(spanToEntry);
  }
}
