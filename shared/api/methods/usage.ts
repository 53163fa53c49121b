// Usage (the Usage view): GPU-, billing- and CPU-hours, runs, jobs and preemption losses of the chosen
// clusters in a window, grouped, with the account-tree roll-up; and an export of the same to a file with
// its manifest. The rules are shared/usage/rules.ts, returned with every answer.
import { z } from 'zod';
import { ClusterName } from './common';

export const UsageDimensionSchema = z.enum(['cluster', 'account', 'user', 'partition', 'qos', 'gpuType', 'day', 'week', 'month']);

export const UsageRequest = z
  .object({
    clusters: z.array(ClusterName).max(64).default([]),
    from: z.number().int(),
    to: z.number().int(),
    /** IANA zone of the window's periods; default the clusters' zone (UTC when they differ). */
    timeZone: z.string().min(1).max(64).optional(),
    groupBy: z.array(UsageDimensionSchema).max(9).default(['account', 'user']),
    accountRollUp: z.boolean().default(true),
  })
  .refine((r) => r.to > r.from, { message: 'to must be after from' });

const Sums = z.object({
  gpuHours: z.number(),
  billingHours: z.number(),
  cpuHours: z.number(),
  preemptedGpuHours: z.number(),
  runs: z.number().int(),
  jobs: z.number().int(),
  runningRuns: z.number().int(),
});

export const UsageRowSchema = Sums.extend({
  scope: z.enum(['own', 'tree']),
  /** Values of groupBy, in its order. */
  keys: z.array(z.string()),
  periodStart: z.number().int(),
  periodEnd: z.number().int(),
});

export const UsageReport = z.object({
  from: z.number().int(),
  to: z.number().int(),
  timeZone: z.string(),
  groupBy: z.array(UsageDimensionSchema),
  accountRollUp: z.boolean(),
  rows: z.array(UsageRowSchema),
  /** True when more rows exist than were sent (the view shows the first ones; export for all). */
  truncated: z.boolean(),
  totals: Sums,
  clusters: z.array(
    z.object({
      name: z.string(),
      slurmVersion: z.string().nullable(),
      timeZone: z.string(),
      accountingCollectedAt: z.number().int().nullable(),
      tresBillingWeights: z.record(z.string(), z.string().nullable()),
    }),
  ),
  rules: z.array(z.string()),
});
export type UsageReport = z.infer<typeof UsageReport>;

export const UsageExportRequest = z
  .object({
    clusters: z.array(ClusterName).max(64).default([]),
    from: z.number().int(),
    to: z.number().int(),
    timeZone: z.string().min(1).max(64).optional(),
    groupBy: z.array(UsageDimensionSchema).max(9).default(['account', 'user']),
    accountRollUp: z.boolean().default(true),
    format: z.enum(['csv', 'xlsx', 'parquet', 'json']),
    /** Absolute path chosen in the save dialog. */
    path: z.string().min(1).max(4096),
    overwrite: z.boolean().default(false),
  })
  .refine((r) => r.to > r.from, { message: 'to must be after from' });

export const UsageExportResult = z.object({
  path: z.string(),
  manifestPath: z.string(),
  rows: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string(),
});

export const usageMethods = {
  'usage.report': { request: UsageRequest, response: UsageReport },
  'usage.export': { request: UsageExportRequest, response: UsageExportResult },
} as const;
