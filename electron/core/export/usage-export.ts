// One usage export, end to end: stream the chosen clusters' runs for the window out of the store through
// the usage maths, write the chosen format, then the manifest with the file's SHA-256. Used by the CLI
// (`clusterops export usage`) and the console's Usage view.
import type Database from 'better-sqlite3';
import { COUNTING_RULES } from '../../../shared/usage/rules';
import { UsageAccumulator, type UsageDimension, type UsageRow, type UsageSums } from '../../../shared/usage/usage-accumulator';
import { writeUsageCsv } from './csv-writer';
import { writeUsageJson } from './json-writer';
import { writeManifest, type UsageFormat, type UsageManifest } from './manifest';
import { writeUsageParquet } from './parquet-writer';
import { accountTree, chooseClusters, clusterFacts, runsInWindow } from './usage-source';
import { UsageTable } from './usage-table';
import { writeUsageXlsx, type XlsxSheet } from './xlsx-writer';

export const USAGE_FORMATS: readonly UsageFormat[] = ['csv', 'xlsx', 'parquet', 'json'];

export interface UsageExportOptions {
  clusters: readonly string[];
  from: number;
  to: number;
  timeZone: string;
  groupBy: readonly UsageDimension[];
  format: UsageFormat;
  out: string;
  /** Roll accounts up the sshare tree (scope 'tree' rows) when grouping by account; default true. */
  accountRollUp?: boolean;
  now?: number;
  onProgress?: (runs: number) => void;
}

export interface UsageResult {
  rows: UsageRow[];
  totals: UsageSums;
}

/** The usage of the chosen clusters in the window, for each grouping asked (the first is the main one). */
export function computeUsage(db: Database.Database, o: Omit<UsageExportOptions, 'format' | 'out'>, groupings: readonly (readonly UsageDimension[])[]): { results: UsageResult[]; facts: ReturnType<typeof clusterFacts>[]; rollUp: boolean } {
  const clusters = chooseClusters(db, o.clusters);
  const facts = clusters.map((c) => clusterFacts(db, c, o.to));
  const now = o.now ?? Math.floor(Date.now() / 1000);
  const collected = new Map(facts.map((f) => [f.name, f.accountingCollectedAt ?? now]));
  const tree = accountTree(db, clusters);
  const rollUp = (o.accountRollUp ?? true) && o.groupBy.includes('account');
  const accs = groupings.map((g) => new UsageAccumulator({ window: { from: o.from, to: o.to, timeZone: o.timeZone }, groupBy: g, collectedAt: now, collectedAtByCluster: collected, jobsContiguous: true, ...(rollUp && g.includes('account') ? { accountTree: tree } : {}) }));
  let n = 0;
  for (const c of clusters) {
    for (const run of runsInWindow(db, c, o.from, o.to)) {
      for (const a of accs) a.add(run);
      if (++n % 100_000 === 0) o.onProgress?.(n);
    }
  }
  return { results: accs.map((a) => a.result()), facts, rollUp };
}

export async function exportUsage(db: Database.Database, o: UsageExportOptions): Promise<{ manifest: UsageManifest; manifestFile: string }> {
  const now = o.now ?? Math.floor(Date.now() / 1000);
  // XLSX: a sheet for the full grouping and one per single dimension of it.
  const groupings: UsageDimension[][] = [[...o.groupBy]];
  if (o.format === 'xlsx' && o.groupBy.length > 1) for (const d of o.groupBy) groupings.push([d]);
  const { results, facts, rollUp } = computeUsage(db, { ...o, now }, groupings);
  const main = results[0] as UsageResult;
  const table = new UsageTable(o.groupBy, o.timeZone, rollUp);
  let rows: number;
  let sheets: Record<string, number> | undefined;
  if (o.format === 'csv') rows = await writeUsageCsv(o.out, table, main.rows);
  else if (o.format === 'json') rows = await writeUsageJson(o.out, table, main.rows);
  else if (o.format === 'parquet') rows = await writeUsageParquet(o.out, table, main.rows, { 'clusterops.time_zone': o.timeZone, 'clusterops.group_by': o.groupBy.join(','), 'clusterops.window': `${o.from}/${o.to}` });
  else {
    const t = main.totals;
    const summary: [string, string | number][] = [
      ['Window from', table.iso(o.from)],
      ['Window to', table.iso(o.to)],
      ['Time zone', o.timeZone],
      ['Grouped by', o.groupBy.join(', ') || '(nothing)'],
      ['Clusters', facts.map((f) => `${f.name} (Slurm ${f.slurmVersion ?? '?'})`).join(', ')],
      ['GPU-hours', t.gpuSeconds / 3600],
      ['Billing-hours', t.billingSeconds / 3600],
      ['CPU-hours', t.cpuSeconds / 3600],
      ['GPU-hours lost to preemption', t.preemptedGpuSeconds / 3600],
      ['Runs', t.runs],
      ['Jobs', t.jobs],
      ['Runs still running', t.runningRuns],
      ...COUNTING_RULES.map((r, i): [string, string] => [`Rule ${i + 1}`, r]),
    ];
    const list: XlsxSheet[] = groupings.map((g, i) => ({ name: `by ${g.join(' x ')}`, table: i === 0 ? table : new UsageTable(g, o.timeZone, rollUp && g.includes('account')), rows: (results[i] as UsageResult).rows }));
    sheets = await writeUsageXlsx(o.out, summary, list);
    rows = Object.values(sheets)[0] ?? 0;
  }
  const manifest = await writeManifest({ dataFile: o.out, format: o.format, rows, ...(sheets ? { sheets } : {}), window: { from: o.from, to: o.to, timeZone: o.timeZone }, groupBy: [...o.groupBy], accountRollUp: rollUp, columns: table.columns, clusters: facts, totals: main.totals, now });
  return { manifest, manifestFile: `${o.out}.manifest.json` };
}
