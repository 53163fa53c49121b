// Fairshare & priority: the account tree from sshare (as of a snapshot) and pending jobs with their sprio
// factors, per cluster.
import { z } from 'zod';
import { ClusterName } from './common';

const AtCluster = z.object({ cluster: ClusterName, at: z.number().int().positive().optional() }).strict();

export const FairshareNode = z.object({
  account: z.string(),
  /** Null for an account's own row. */
  user: z.string().nullable(),
  depth: z.number().int(),
  parent: z.string().nullable(),
  rawShares: z.number().nullable(),
  normShares: z.number().nullable(),
  rawUsage: z.number(),
  effectiveUsage: z.number().nullable(),
  fairShare: z.number().nullable(),
  /** sshare prints `inf` for an association with shares and no usage yet: that is `'inf'` here. */
  levelFs: z.union([z.number(), z.literal('inf')]).nullable(),
});
export type FairshareNode = z.infer<typeof FairshareNode>;

export const FairshareTree = z.object({
  cluster: z.string(),
  timeZone: z.string(),
  /** When the sshare rows shown were collected; null when never. */
  collectedAt: z.number().int().nullable(),
  /** In sshare's order (a depth-first walk of the tree). */
  rows: z.array(FairshareNode),
});
export type FairshareTree = z.infer<typeof FairshareTree>;

export const PendingPriority = z.object({
  jobIdRaw: z.number().int(),
  /** As a person types it (array tasks `123_4`), from the queue snapshot; the raw id when unknown. */
  jobId: z.string(),
  name: z.string().nullable(),
  user: z.string(),
  account: z.string().nullable(),
  partition: z.string(),
  qos: z.string().nullable(),
  reason: z.string().nullable(),
  gpus: z.number().int().nullable(),
  priority: z.number(),
  age: z.number(),
  fairshare: z.number(),
  jobSize: z.number(),
  partitionFactor: z.number(),
  qosFactor: z.number(),
  site: z.number(),
  tres: z.string().nullable(),
});
export type PendingPriority = z.infer<typeof PendingPriority>;

export const PendingPriorities = z.object({
  cluster: z.string(),
  timeZone: z.string(),
  collectedAt: z.number().int().nullable(),
  /** Whether sprio answers on this cluster (it needs priority/multifactor). */
  available: z.boolean(),
  jobs: z.array(PendingPriority),
});
export type PendingPriorities = z.infer<typeof PendingPriorities>;

export const fairshareMethods = {
  'fairshare.tree': { request: AtCluster, response: FairshareTree },
  'priority.pending': { request: AtCluster, response: PendingPriorities },
} as const;
