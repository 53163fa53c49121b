// Bulk job actions (scontrol requeue / requeuehold / release): preview, run, retry, undo, cancel and the
// audit log. A preview is always taken live just before anything runs, so the console shows what Slurm
// says now, not what the cache said a minute ago.
import { z } from 'zod';
import { ClusterName } from './common';

export const ActionKind = z.enum(['requeue', 'requeuehold', 'release']);
export type ActionKind = z.infer<typeof ActionKind>;

/** How an action came about: a fresh run, a retry of an earlier one, or the undo of a requeuehold. */
export const ActionOrigin = z.enum(['run', 'retry', 'undo']);
export type ActionOrigin = z.infer<typeof ActionOrigin>;

/** Why a job will not be acted on (null when it will). */
export const SkipReason = z.enum([
  'vanished', // not in Slurm's memory any more (finished past MinJobAge, or never existed)
  'not-batch', // salloc/srun jobs cannot be requeued
  'pending', // already pending: nothing to requeue
  'held', // pending and held: requeue does not apply, release does
  'completing', // in transition; Slurm refuses until it settles
  'finished-not-requeueable', // finished and submitted with --no-requeue
  'not-requeueable', // submitted with --no-requeue (Slurm: "Requested operation is presently disabled")
  'not-held', // release of a job that is not held
  'admin-hold', // held by an administrator: only Operators/Administrators may release it
  'no-permission', // neither owner, coordinator of its account, nor Operator/Administrator
  'already-done', // retry: an earlier attempt did take effect (restart count went up / job released)
  'not-confirmed', // the run's live check accepts it, but the preview the user confirmed did not
]);
export type SkipReason = z.infer<typeof SkipReason>;

/** The filter form of a selection: values within one field are ORed, fields are ANDed (like the Jobs view). */
export const JobFilter = z
  .object({
    states: z.array(z.string().min(1).max(32)).optional(),
    users: z.array(z.string().min(1).max(128)).optional(),
    accounts: z.array(z.string().min(1).max(128)).optional(),
    partitions: z.array(z.string().min(1).max(128)).optional(),
    qos: z.array(z.string().min(1).max(128)).optional(),
    reasons: z.array(z.string().min(1).max(128)).optional(),
    /** Jobs placed on any of these nodes (names, not hostlist expressions). */
    nodes: z.array(z.string().min(1).max(128)).optional(),
    submittedFrom: z.number().int().optional(),
    submittedTo: z.number().int().optional(),
    startedFrom: z.number().int().optional(),
    startedTo: z.number().int().optional(),
  })
  .strict();
export type JobFilter = z.infer<typeof JobFilter>;

/** Explicit ids (`123`, `123_4`, `123_[1-5]`) or a filter over the cached queue; exactly one of them. */
export const Selection = z
  .object({ jobIds: z.array(z.string().max(200)).max(20_000).optional(), filter: JobFilter.optional() })
  .strict()
  .refine((s) => (s.jobIds === undefined) !== (s.filter === undefined), { message: 'give either jobIds or filter' });
export type Selection = z.infer<typeof Selection>;

export const JobPreview = z.object({
  /** The id acted on (`123`, `123_4`); for a vanished job, the id as requested. */
  jobId: z.string(),
  jobIdRaw: z.number().int().nullable(),
  requested: z.string(),
  user: z.string().nullable(),
  account: z.string().nullable(),
  partition: z.string().nullable(),
  state: z.string().nullable(),
  reason: z.string().nullable(),
  gpus: z.number().int(),
  /** Seconds it has run in its current run (lost by a requeue). */
  runSeconds: z.number().int(),
  restarts: z.number().int().nullable(),
  willRun: z.boolean(),
  skip: SkipReason.nullable(),
  /** The skip reason in words, e.g. "alice's job in account nlp: you are neither its owner, ...". */
  why: z.string().nullable(),
});
export type JobPreview = z.infer<typeof JobPreview>;

export const PreviewTotals = z.object({
  selected: z.number().int(),
  willRun: z.number().int(),
  skipped: z.number().int(),
  bySkip: z.record(z.string(), z.number().int()),
  gpusFreed: z.number().int(),
  gpuHoursLost: z.number(),
  users: z.array(z.string()),
  accounts: z.array(z.string()),
});
export type PreviewTotals = z.infer<typeof PreviewTotals>;

export const ActionPreview = z.object({
  cluster: z.string(),
  action: ActionKind,
  clusterUser: z.string(),
  adminLevel: z.string(),
  coordinatorOf: z.array(z.string()),
  /** Epoch seconds of the live check. */
  checkedAt: z.number().int(),
  jobs: z.array(JobPreview),
  totals: PreviewTotals,
  /** The console asks for the cluster name to be typed above this many jobs. */
  confirmNameAbove: z.number().int(),
});
export type ActionPreview = z.infer<typeof ActionPreview>;

/**
 * What happened to one job: done (Slurm accepted it), failed (Slurm refused; `retryable` says whether a
 * retry could help), unknown (the command may or may not have reached slurmctld: the connection dropped),
 * cancelled (never sent: the run was cancelled first), skipped (the preview said no).
 */
export const ResultStatus = z.enum(['done', 'failed', 'unknown', 'cancelled', 'skipped']);
export type ResultStatus = z.infer<typeof ResultStatus>;

export const JobResult = z.object({
  jobId: z.string(),
  jobIdRaw: z.number().int().nullable(),
  status: ResultStatus,
  retryable: z.boolean(),
  /** Slurm's own words (stderr line for this job), or our reason for skipping. */
  message: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  /** 1-based batch number; 0 for skipped jobs. */
  batch: z.number().int(),
  at: z.number().int(),
});
export type JobResult = z.infer<typeof JobResult>;

export const RunOptions = z
  .object({
    batchSize: z.number().int().min(1).max(1000).default(50),
    pauseMs: z.number().int().min(0).max(600_000).default(2000),
  })
  .strict();
export type RunOptions = z.infer<typeof RunOptions>;

export const ActionRecord = z.object({
  id: z.number().int(),
  cluster: z.string(),
  action: ActionKind,
  origin: ActionOrigin,
  parentId: z.number().int().nullable(),
  localUser: z.string(),
  clusterUser: z.string(),
  startedAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
  /** completed, cancelled (by the user mid-way), or failed (stopped by an error); null while running. */
  outcome: z.enum(['completed', 'cancelled', 'failed']).nullable(),
  selection: z.unknown(),
  preview: ActionPreview,
  options: RunOptions,
  results: z.array(JobResult),
  counts: z.record(ResultStatus, z.number().int()),
});
export type ActionRecord = z.infer<typeof ActionRecord>;

export const ActionProgress = z.object({
  actionId: z.number().int(),
  cluster: z.string(),
  action: ActionKind,
  batch: z.number().int(),
  batches: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  total: z.number().int(),
});
export type ActionProgress = z.infer<typeof ActionProgress>;

const ActionRequest = z.object({ cluster: ClusterName, action: ActionKind, selection: Selection });

export const actionsMethods = {
  'actions.preview': { request: ActionRequest.strict(), response: ActionPreview },
  'actions.run': {
    request: ActionRequest.extend({
      options: RunOptions.optional(),
      /**
       * The jobs the confirmed preview said would be acted on: the run acts only on jobs in this list that
       * the live check at run time still accepts, so a job whose state changed since (pending → running)
       * is never requeued without having been shown.
       */
      confirmed: z.array(z.string().regex(/^[1-9]\d{0,11}(_\d{1,10})?$/)).max(20_000).optional(),
    }).strict(),
    response: ActionRecord,
  },
  'actions.retry': { request: z.object({ actionId: z.number().int().positive(), options: RunOptions.optional() }).strict(), response: ActionRecord },
  'actions.undo': { request: z.object({ actionId: z.number().int().positive(), options: RunOptions.optional() }).strict(), response: ActionRecord },
  'actions.cancel': { request: z.object({ actionId: z.number().int().positive() }).strict(), response: z.object({ cancelled: z.boolean() }) },
  'actions.list': {
    request: z.object({ cluster: ClusterName.optional(), limit: z.number().int().min(1).max(10_000).default(200) }).strict(),
    response: z.array(ActionRecord),
  },
} as const;
