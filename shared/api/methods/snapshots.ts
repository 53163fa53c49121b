// Time travel: the times the store holds snapshots for, so the header can offer them.
import { z } from 'zod';
import { ClusterName } from './common';

export const SnapshotTime = z.object({
  /** Epoch seconds the snapshot finished: views asked "as of" this time show it. */
  at: z.number().int(),
  cluster: z.string(),
  kinds: z.array(z.string()),
});
export type SnapshotTime = z.infer<typeof SnapshotTime>;

export const SnapshotTimes = z.object({
  /** Newest first, at most `limit`. */
  times: z.array(SnapshotTime),
  /** How many snapshots match in all (times may hold fewer). */
  total: z.number().int(),
  oldest: z.number().int().nullable(),
  newest: z.number().int().nullable(),
});
export type SnapshotTimes = z.infer<typeof SnapshotTimes>;

export const snapshotsMethods = {
  'snapshots.list': {
    request: z.object({ cluster: ClusterName.optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(),
    response: SnapshotTimes,
  },
} as const;
