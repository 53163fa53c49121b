// Preemption history: every preempted or requeued run (sacct -D rows ended PREEMPTED / REQUEUED) in a
// window, what it lost, totals, requeue counts per job, and the job that most likely preempted it (an
// inference from accounting; see shared/preemption/infer-preemptor.ts for the rule).
import { z } from 'zod';
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
  runs: z.array(PreemptedRun),
  totals: z.object({ byAccount: z.array(LossTotal), byQos: z.array(LossTotal), byPartition: z.array(LossTotal), byDay: z.array(LossTotal) }),
  requeues: z.array(
    z.object({
      cluster: z.string(),
      jobId: z.string(),
      jobIdRaw: z.number().int(),
      preempted: z.number().int(),
      requeued: z.number().int(),
      gpuSecondsLost: z.number().int(),
      restarts: z.number().int().nullable(),
    }),
  ),
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
