// Preemption history: every preempted or requeued run (sacct -D rows ended PREEMPTED / REQUEUED) in a
// window, what it lost, totals, requeue counts per job, and the job that most likely preempted it (an
// inference from accounting; see shared/preemption/infer-preemptor.ts for the rule).
// Runs and requeue counts cross the bridge as columns (see column-codec: a 30-day window has tens of
// thousands of runs, which clone and parse far slower as objects); the renderer decodes them once, into
// the row shapes below (renderer/src/views/preemptions/preemptions-data.ts).
import { z } from 'zod';
import { DictColumn, F64Column, U32Column } from '../column-codec';
import { ClusterName } from './common';

const LossTotal = z.object({ key: z.string(), runs: z.number().int(), lostSeconds: z.number().int(), gpuSecondsLost: z.number().int() });

export const InferredPreemptor = z.object({
  jobId: z.string(),
  jobIdRaw: z.number().int(),
  user: z.string(),
  account: z.string(),
  partition: z.string(),
  qos: z.string(),
  startTime: z.number().int(),
  secondsAfter: z.number().int(),
  sharedNodes: z.array(z.string()),
  basis: z.enum(['partition-tier', 'qos', 'unchecked']),
  why: z.string(),
});
export type InferredPreemptor = z.infer<typeof InferredPreemptor>;

/** A run as the view uses it, after decoding (not on the wire). */
export const PreemptedRun = z.object({
  cluster: z.string(),
  jobId: z.string(),
  jobIdRaw: z.number().int(),
  name: z.string(),
  user: z.string(),
  account: z.string(),
  partition: z.string(),
  qos: z.string(),
  /** PREEMPTED (by the scheduler) or REQUEUED (by an admin or the owner). */
  state: z.string(),
  gpus: z.number().int(),
  /** `a100:4`, empty when untyped. */
  gpuTypes: z.string(),
  nodesExpr: z.string().nullable(),
  submitTime: z.number().int().nullable(),
  startTime: z.number().int().nullable(),
  /** When it was preempted or requeued. */
  endTime: z.number().int(),
  lostSeconds: z.number().int(),
  gpuSecondsLost: z.number().int(),
  restarts: z.number().int().nullable(),
  /** The cluster-local day of `endTime` (YYYY-MM-DD). */
  day: z.string(),
  /** Only for PREEMPTED runs; null when no run fits the rule. Always an inference. */
  preemptor: InferredPreemptor.nullable(),
});
export type PreemptedRun = z.infer<typeof PreemptedRun>;

/** One requeue count per job, as the view uses it after decoding. */
export const RequeueCount = z.object({
  cluster: z.string(),
  jobId: z.string(),
  jobIdRaw: z.number().int(),
  preempted: z.number().int(),
  requeued: z.number().int(),
  gpuSecondsLost: z.number().int(),
  restarts: z.number().int().nullable(),
});
export type RequeueCount = z.infer<typeof RequeueCount>;

/**
 * `PreemptedRun`s as columns, one entry per run in each. `cluster` indexes the response's `clusters`;
 * U32 columns use NULL_U32 for null where the row field is nullable; F64 columns hold what a Uint32
 * cannot (GPU-seconds past 2^32, negative seconds). The preemptor is flattened: `preemptorJobId` is null
 * exactly when the run has no inferred preemptor, and then every other preemptor column is null too
 * (NULL_U32 / NaN). `preemptorSharedNodes` joins the node names with commas (no node name holds one).
 */
export const PreemptedRunColumns = z
  .object({
    cluster: U32Column,
    jobId: DictColumn,
    jobIdRaw: U32Column,
    name: DictColumn,
    user: DictColumn,
    account: DictColumn,
    partition: DictColumn,
    qos: DictColumn,
    state: DictColumn,
    gpus: U32Column,
    gpuTypes: DictColumn,
    nodesExpr: DictColumn,
    submitTime: U32Column,
    startTime: U32Column,
    endTime: U32Column,
    lostSeconds: U32Column,
    gpuSecondsLost: F64Column,
    restarts: U32Column,
    day: DictColumn,
    preemptorJobId: DictColumn,
    preemptorJobIdRaw: U32Column,
    preemptorUser: DictColumn,
    preemptorAccount: DictColumn,
    preemptorPartition: DictColumn,
    preemptorQos: DictColumn,
    preemptorStartTime: U32Column,
    preemptorSecondsAfter: F64Column,
    preemptorSharedNodes: DictColumn,
    preemptorBasis: DictColumn,
    preemptorWhy: DictColumn,
  })
  .strict();
export type PreemptedRunColumns = z.infer<typeof PreemptedRunColumns>;

/** `RequeueCount`s as columns (same conventions as the run columns). */
export const RequeueColumns = z
  .object({
    cluster: U32Column,
    jobId: DictColumn,
    jobIdRaw: U32Column,
    preempted: U32Column,
    requeued: U32Column,
    gpuSecondsLost: F64Column,
    restarts: U32Column,
  })
  .strict();
export type RequeueColumns = z.infer<typeof RequeueColumns>;

export const PreemptionHistory = z.object({
  from: z.number().int(),
  to: z.number().int(),
  clusters: z.array(
    z.object({
      name: z.string(),
      timeZone: z.string(),
      /** When accounting was last collected (as of `at`): the age of this data. */
      accountingAt: z.number().int().nullable(),
      /** Whether partition tiers were known, so the partition-tier part of the rule could be checked. */
      partitionTiersKnown: z.boolean(),
    }),
  ),
  /** Rows in `runs` (every column holds one entry per run). */
  count: z.number().int().nonnegative(),
  runs: PreemptedRunColumns,
  totals: z.object({ byAccount: z.array(LossTotal), byQos: z.array(LossTotal), byPartition: z.array(LossTotal), byDay: z.array(LossTotal) }),
  /** Rows in `requeues`. */
  requeueCount: z.number().int().nonnegative(),
  requeues: RequeueColumns,
  rule: z.object({ windowSeconds: z.number().int(), skewSeconds: z.number().int(), text: z.string() }),
});
export type PreemptionHistory = z.infer<typeof PreemptionHistory>;

export const PreemptionsRequest = z
  .object({
    from: z.number().int().nonnegative(),
    to: z.number().int().positive(),
    clusters: z.array(ClusterName).optional(),
    /** Time travel: only what had ended by then. */
    at: z.number().int().positive().optional(),
  })
  .strict()
  .refine((r) => r.from < r.to, { message: 'from must be before to' })
  .refine((r) => r.to - r.from <= 366 * 86400, { message: 'the window may span at most 366 days' });

export const preemptionMethods = {
  'preemptions.list': { request: PreemptionsRequest, response: PreemptionHistory },
} as const;
