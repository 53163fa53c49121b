// The manifest written beside every export (`<file>.manifest.json`): what the numbers are (clusters and
// their Slurm versions, window and zone, grouping, the counting rules, the TRESBillingWeights in force),
// how fresh (when each cluster's accounting was collected) and which file they belong to (name, bytes,
// row count, SHA-256), so a finance reader can check a file they were sent against its manifest.
import { createHash } from 'node:crypto';
import { createReadStream, statSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { COUNTING_RULES } from '../../../shared/usage/rules';
import { isoWithOffset } from '../../../shared/usage/iso-time';
import type { UsageDimension, UsageSums } from '../../../shared/usage/usage-accumulator';
import { APP_VERSION } from '../version';
import type { ClusterFacts } from './usage-source';
import type { UsageColumn } from './usage-table';

export type UsageFormat = 'csv' | 'xlsx' | 'parquet' | 'json';

export interface UsageManifest {
  manifestVersion: 1;
  kind: 'usage';
  generator: string;
  generatedAt: string;
  dataFile: { name: string; format: UsageFormat; bytes: number; sha256: string; rows: number; sheets?: Record<string, number> };
  window: { from: string; to: string; fromEpoch: number; toEpoch: number; timeZone: string; rule: string };
  groupBy: UsageDimension[];
  accountRollUp: boolean;
  columns: UsageColumn[];
  countingRules: readonly string[];
  clusters: {
    name: string;
    slurmVersion: string | null;
    timeZone: string;
    accountingCollectedAt: string | null;
    accountingWindowUntil: string | null;
    tresBillingWeights: Record<string, string | null>;
    tresBillingWeightsAsOf: string | null;
  }[];
  totals: { gpuHours: number; billingHours: number; cpuHours: number; preemptedGpuHours: number; runs: number; jobs: number; runningRuns: number };
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function manifestPath(dataFile: string): string {
  return `${dataFile}.manifest.json`;
}

export interface ManifestInput {
  dataFile: string;
  format: UsageFormat;
  rows: number;
  sheets?: Record<string, number>;
  window: { from: number; to: number; timeZone: string };
  groupBy: UsageDimension[];
  accountRollUp: boolean;
  columns: UsageColumn[];
  clusters: ClusterFacts[];
  totals: UsageSums;
  now: number;
}

export async function writeManifest(input: ManifestInput): Promise<UsageManifest> {
  const tz = input.window.timeZone;
  const iso = (t: number | null) => (t === null ? null : isoWithOffset(t, tz));
  const t = input.totals;
  const manifest: UsageManifest = {
    manifestVersion: 1,
    kind: 'usage',
    generator: `ClusterOps Console ${APP_VERSION}`,
    generatedAt: isoWithOffset(input.now, tz),
    dataFile: {
      name: path.basename(input.dataFile),
      format: input.format,
      bytes: statSync(input.dataFile).size,
      sha256: await sha256File(input.dataFile),
      rows: input.rows,
      ...(input.sheets ? { sheets: input.sheets } : {}),
    },
    window: {
      from: isoWithOffset(input.window.from, tz),
      to: isoWithOffset(input.window.to, tz),
      fromEpoch: input.window.from,
      toEpoch: input.window.to,
      timeZone: tz,
      rule: 'half-open [from, to); runs crossing from, to or a period boundary are split pro rata by the seconds on each side',
    },
    groupBy: input.groupBy,
    accountRollUp: input.accountRollUp,
    columns: input.columns,
    countingRules: COUNTING_RULES,
    clusters: input.clusters.map((c) => ({
      name: c.name,
      slurmVersion: c.slurmVersion,
      timeZone: c.timeZone,
      accountingCollectedAt: iso(c.accountingCollectedAt),
      accountingWindowUntil: iso(c.accountingWindowUntil),
      tresBillingWeights: c.tresBillingWeights,
      tresBillingWeightsAsOf: iso(c.billingWeightsAsOf),
    })),
    totals: { gpuHours: t.gpuSeconds / 3600, billingHours: t.billingSeconds / 3600, cpuHours: t.cpuSeconds / 3600, preemptedGpuHours: t.preemptedGpuSeconds / 3600, runs: t.runs, jobs: t.jobs, runningRuns: t.runningRuns },
  };
  const target = manifestPath(input.dataFile);
  writeFileSync(`${target}.partial`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${target}.partial`, target);
  return manifest;
}
