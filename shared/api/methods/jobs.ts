// The Jobs view: every cluster's queue as of `at` in one table, sent as columns (see column-codec: 50k
// jobs as objects cost ~180 ms to clone, as columns ~17 ms), and one job's runs from accounting for the
// detail drawer. Filtering and sorting happen in the renderer on the decoded columns.
import { z } from 'zod';
import { DictColumn, U32Column } from '../column-codec';
import { At, ClusterName } from './common';

export const JobsTableCluster = z.object({
  name: z.string(),
  /** Epoch seconds when the queue shown was collected; null when the cluster has no queue snapshot yet. */
  asOf: z.number().nullable(),
  /** IANA zone of the cluster (times on hover), null when the probe could not tell. */
  timeZone: z.string().nullable(),
  /** False when the queue comes from compact history (retention thinned the full rows): no priority. */
  exact: z.boolean(),
  count: z.number().int().nonnegative(),
});
export type JobsTableCluster = z.infer<typeof JobsTableCluster>;

/**
 * One entry per row in every column. U32 columns use NULL_U32 for "none" where noted; times are epoch
 * seconds; `cluster` indexes `clusters`.
 */
export const JobsColumns = z.object({
  cluster: U32Column,
  jobIdRaw: U32Column,
  /** What a person types: `123`, `123_4`, `123_[5-9%2]`. */
  jobId: DictColumn,
  name: DictColumn,
  user: DictColumn,
  account: DictColumn,
  partition: DictColumn,
  qos: DictColumn,
  state: DictColumn,
  /** Null when Slurm says `None`. */
  reason: DictColumn,
  /** GPUs held (running) or asked for (pending), per job (per task for pending array records). */
  gpus: U32Column,
  /** GPU types, comma-separated when several (`a100,h100`); null for untyped requests or no GPUs. */
  gpuType: DictColumn,
  /** Hostlist expression of the nodes held; null while pending. */
  nodes: DictColumn,
  numNodes: U32Column,
  submitTime: U32Column,
  /** NULL_U32 while pending (an estimate Slurm changes every cycle). */
  startTime: U32Column,
  /** Seconds; NULL_U32 = UNLIMITED. */
  timeLimit: U32Column,
  restarts: U32Column,
  /** NULL_U32 where the queue comes from compact history. */
  priority: U32Column,
});
export type JobsColumns = z.infer<typeof JobsColumns>;

export const JobsTable = z.object({
  clusters: z.array(JobsTableCluster),
  count: z.number().int().nonnegative(),
  columns: JobsColumns,
});
export type JobsTable = z.infer<typeof JobsTable>;

export const JobRun = z.object({
  jobId: z.string(),
  state: z.string(),
  /** `CANCELLED by 1001`, when Slurm says who. */
  stateDetail: z.string().nullable(),
  submitTime: z.number().nullable(),
  startTime: z.number().nullable(),
  endTime: z.number().nullable(),
  /** Seconds the run held its allocation. */
  elapsed: z.number(),
  nodes: z.string().nullable(),
  /** `code:signal` as sacct prints it; null when accounting has none. */
  exitCode: z.string().nullable(),
  gpus: z.number(),
  gpuTypes: z.record(z.string(), z.number()),
  gpuHours: z.number(),
  partition: z.string(),
  qos: z.string(),
  restarts: z.number().nullable(),
});
export type JobRun = z.infer<typeof JobRun>;

export const JobRuns = z.object({
  cluster: z.string(),
  jobIdRaw: z.number(),
  timeZone: z.string().nullable(),
  /** Epoch seconds of the newest accounting sync (as of `at`); null when accounting was never synced. */
  accountingAt: z.number().nullable(),
  runs: z.array(JobRun),
});
export type JobRuns = z.infer<typeof JobRuns>;

export const jobsMethods = {
  'jobs.table': { request: At.strict(), response: JobsTable },
  'jobs.runs': {
    request: At.extend({ cluster: ClusterName, jobIdRaw: z.number().int().nonnegative().max(0xfffffffe) }).strict(),
    response: JobRuns,
  },
} as const;
