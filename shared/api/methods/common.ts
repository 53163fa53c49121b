// Schemas several methods share.
import { z } from 'zod';

/** Time travel: every read method takes `at` (epoch seconds); absent = the latest data. */
export const At = z.object({ at: z.number().int().positive().optional() });

export const ClusterName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);

export const GpuCounts = z.object({ total: z.number(), allocated: z.number(), idle: z.number(), unavailable: z.number() });

export const ClusterStatusCounts = z.object({
  nodes: z.object({ total: z.number(), byState: z.record(z.string(), z.number()) }),
  gpus: GpuCounts.extend({ byType: z.record(z.string(), GpuCounts) }),
  jobs: z.object({ running: z.number(), pending: z.number(), suspended: z.number(), completing: z.number() }),
  pendingGpus: z.number(),
});

export const ConnectionInfo = z.object({
  state: z.enum(['idle', 'connecting', 'ready', 'degraded', 'offline', 'closed']),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  /** Epoch ms of the last state change. */
  since: z.number(),
  retryAt: z.number().nullable(),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfo>;
