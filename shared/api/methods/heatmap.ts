// The partition heatmap: nodes × five-minute buckets, one byte per cell (codes in shared/heatmap/cell-code),
// sent as one Uint8Array (not an array of objects: 2M cells as nested arrays cost ~56 ms to clone, as bytes
// ~0.5 ms; IPC clones it as is, the WebSocket carries it in a binary frame, see wire.ts); the tooltip's
// details for one cell; and the "now" grid of GPU slots.
import { z } from 'zod';
import { At, ClusterName } from './common';

/** 1 hour to 31 days: the longest range the store keeps samples for by default, with a day to spare. */
export const HEATMAP_MIN_SECONDS = 3600;
export const HEATMAP_MAX_SECONDS = 31 * 86400;

export const HeatmapRangeRequest = At.extend({
  cluster: ClusterName.optional(),
  partition: z.string().min(1).max(128).optional(),
  /** Length of the range ending at `at` (or at the newest node sample when `at` is absent). */
  seconds: z.number().int().min(HEATMAP_MIN_SECONDS).max(HEATMAP_MAX_SECONDS),
}).strict();

export const HeatmapNode = z.object({
  /** Index into `clusters`. */
  cluster: z.number().int().nonnegative(),
  name: z.string(),
  partitions: z.array(z.string()),
  gpuTotal: z.number().int().nonnegative(),
  /** GPU types on the node, `a100` or `a100+v100`; null for untyped or no GPUs. */
  gpuType: z.string().nullable(),
  /** State at the end of the range (sinfo-style label: `drained`, `mixed`, `down*`), null if unknown. */
  state: z.string().nullable(),
});
export type HeatmapNode = z.infer<typeof HeatmapNode>;

export const HeatmapRange = z.object({
  clusters: z.array(z.object({ name: z.string(), timeZone: z.string().nullable(), nodesAt: z.number().nullable() })),
  /** Epoch seconds of the first bucket, and the range's end. */
  start: z.number().int(),
  end: z.number().int(),
  bucketSeconds: z.number().int().positive(),
  buckets: z.number().int().nonnegative(),
  nodes: z.array(HeatmapNode),
  /** Node-major: cell (node i, bucket b) at i * buckets + b. */
  cells: z.instanceof(Uint8Array),
  /** Nodes left out because they have no GPUs. */
  cpuOnlyNodes: z.number().int().nonnegative(),
  /** How long the core took to read and code the cells, ms (shown to admins who wonder). */
  readMs: z.number(),
});
export type HeatmapRange = z.infer<typeof HeatmapRange>;

export const HeatmapCellRequest = z.object({ cluster: ClusterName, node: z.string().min(1).max(256), at: z.number().int().positive() }).strict();

export const HeatmapJob = z.object({ jobId: z.string(), user: z.string(), account: z.string(), partition: z.string(), gpus: z.number(), state: z.string() });

export const HeatmapCell = z.object({
  cluster: z.string(),
  node: z.string(),
  /** The five-minute bucket the sample belongs to. */
  bucketStart: z.number().int(),
  bucketSeconds: z.number().int(),
  sampled: z.boolean(),
  /** Slurm's state key as sampled, `MIXED+DRAIN`, and its sinfo-style label. */
  stateKey: z.string().nullable(),
  state: z.string().nullable(),
  gpusAlloc: z.number().int(),
  gpusTotal: z.number().int(),
  reason: z.string().nullable(),
  reasonUser: z.string().nullable(),
  /** Jobs running on the node in the queue snapshot that covers the bucket (from job_spans). */
  jobs: z.array(HeatmapJob),
  /** When that queue snapshot was taken (null: no queue snapshot covers it). */
  jobsAt: z.number().nullable(),
  timeZone: z.string().nullable(),
});
export type HeatmapCell = z.infer<typeof HeatmapCell>;

export const HeatmapNowRequest = At.extend({ cluster: ClusterName.optional(), partition: z.string().min(1).max(128).optional() }).strict();

export const HeatmapNowNode = z.object({
  cluster: z.number().int().nonnegative(),
  name: z.string(),
  state: z.string(),
  canTakeWork: z.boolean(),
  gpus: z.array(z.object({ type: z.string().nullable(), total: z.number().int(), used: z.number().int(), usedIndices: z.array(z.number().int()).nullable() })),
});
export type HeatmapNowNode = z.infer<typeof HeatmapNowNode>;

export const HeatmapNow = z.object({
  clusters: z.array(z.object({ name: z.string(), timeZone: z.string().nullable(), nodesAt: z.number().nullable() })),
  nodes: z.array(HeatmapNowNode),
});
export type HeatmapNow = z.infer<typeof HeatmapNow>;

export const heatmapMethods = {
  'heatmap.range': { request: HeatmapRangeRequest, response: HeatmapRange },
  'heatmap.cell': { request: HeatmapCellRequest, response: HeatmapCell },
  'heatmap.now': { request: HeatmapNowRequest, response: HeatmapNow },
} as const;
