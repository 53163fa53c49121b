// usage.report and usage.export for the Usage view: the same maths and writers as `clusterops export
// usage` (electron/core/export), over the store this core shows (live, example or a snapshot file).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { UsageExportRequest, UsageReport, UsageRequest } from '../../../shared/api/methods/usage';
import { ApiError } from '../../../shared/api/errors';
import { COUNTING_RULES } from '../../../shared/usage/rules';
import { StoreError } from '../store/errors';
import { ClustersRepo } from '../store/clusters-repo';
import { computeUsage, exportUsage } from '../export/usage-export';
import { nowSeconds, type CoreContext } from './context';

/** Rows sent to the view at most; an export has them all. */
export const USAGE_VIEW_ROWS = 20_000;

function zoneFor(ctx: CoreContext, requested: string | undefined, clusters: readonly string[]): string {
  if (requested !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: requested });
    } catch {
      throw new ApiError('bad-request', `${JSON.stringify(requested)} is not an IANA time zone`);
    }
    return requested;
  }
  const repo = new ClustersRepo(ctx.store.db);
  const zones = new Set((clusters.length ? clusters : repo.list().map((c) => c.name)).map((n) => repo.timeZone(repo.idOf(n))));
  return zones.size === 1 ? ([...zones][0] as string) : 'UTC';
}

function asApiError(err: unknown): never {
  if (err instanceof StoreError && err.code === 'not-found') throw new ApiError('bad-request', err.message);
  if (err instanceof RangeError) throw new ApiError('bad-request', err.message);
  throw err;
}

export function usageReport(ctx: CoreContext, req: z.output<typeof UsageRequest>): UsageReport {
  try {
    const timeZone = zoneFor(ctx, req.timeZone, req.clusters);
    const { results, facts, rollUp } = computeUsage(ctx.store.db, { clusters: req.clusters, from: req.from, to: req.to, timeZone, groupBy: req.groupBy, accountRollUp: req.accountRollUp, now: nowSeconds(ctx) }, [req.groupBy]);
    const main = results[0];
    if (!main) throw new Error('no usage result');
    const hours = (s: { gpuSeconds: number; billingSeconds: number; cpuSeconds: number; preemptedGpuSeconds: number; runs: number; jobs: number; runningRuns: number }) => ({
      gpuHours: s.gpuSeconds / 3600,
      billingHours: s.billingSeconds / 3600,
      cpuHours: s.cpuSeconds / 3600,
      preemptedGpuHours: s.preemptedGpuSeconds / 3600,
      runs: s.runs,
      jobs: s.jobs,
      runningRuns: s.runningRuns,
    });
    return {
      from: req.from,
      to: req.to,
      timeZone,
      groupBy: req.groupBy,
      accountRollUp: rollUp,
      rows: main.rows.slice(0, USAGE_VIEW_ROWS).map((r) => ({ scope: r.scope, keys: r.keys, periodStart: r.periodStart, periodEnd: r.periodEnd, ...hours(r) })),
      truncated: main.rows.length > USAGE_VIEW_ROWS,
      totals: hours(main.totals),
      clusters: facts.map((f) => ({ name: f.name, slurmVersion: f.slurmVersion, timeZone: f.timeZone, accountingCollectedAt: f.accountingCollectedAt, tresBillingWeights: f.tresBillingWeights })),
      rules: [...COUNTING_RULES],
    };
  } catch (err) {
    asApiError(err);
  }
}

export async function usageExport(ctx: CoreContext, req: z.output<typeof UsageExportRequest>) {
  if (!path.isAbsolute(req.path)) throw new ApiError('bad-request', 'the export path must be absolute');
  if (!req.overwrite && existsSync(req.path)) throw new ApiError('bad-request', `${req.path} exists`);
  try {
    const timeZone = zoneFor(ctx, req.timeZone, req.clusters);
    const { manifest, manifestFile } = await exportUsage(ctx.store.db, { clusters: req.clusters, from: req.from, to: req.to, timeZone, groupBy: req.groupBy, accountRollUp: req.accountRollUp, format: req.format, out: req.path, now: nowSeconds(ctx) });
    return { path: req.path, manifestPath: manifestFile, rows: manifest.dataFile.rows, bytes: manifest.dataFile.bytes, sha256: manifest.dataFile.sha256 };
  } catch (err) {
    asApiError(err);
  }
}
