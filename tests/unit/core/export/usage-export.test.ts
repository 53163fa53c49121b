// Every format is written from a real store and read back by a reader that shares no code with the writer
// (csv-parse; the XLSX sheet XML out of the zip via unzip; hyparquet; JSON.parse), with the numbers equal
// to the hand-computed ones, and the manifest's SHA-256 equal to the file's.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { exportUsage } from '../../../../electron/core/export/usage-export';
import type { UsageManifest, UsageFormat } from '../../../../electron/core/export/manifest';
import { useTempDirs } from '../store/temp-dir';
import { COLLECTED, EXPECTED_GPU_HOURS, WINDOW, usageStore } from './usage-fixture';

const tempDir = useTempDirs();

async function exportIn(format: UsageFormat, groupBy: ('cluster' | 'account' | 'user' | 'day')[] = ['cluster', 'account', 'user']) {
  const dir = tempDir();
  const store = usageStore(dir);
  const out = path.join(dir, `usage.${format}`);
  const { manifest, manifestFile } = await exportUsage(store.db, { clusters: [], ...WINDOW, groupBy, format, out, now: COLLECTED + 60 });
  store.close();
  expect(JSON.parse(readFileSync(manifestFile, 'utf8'))).toEqual(manifest);
  expect(manifest.dataFile.sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
  expect(existsSync(`${out}.partial`)).toBe(false);
  return { out, manifest };
}

type Rec = Record<string, unknown>;
const gpuByKey = (rows: Rec[]) => Object.fromEntries(rows.map((r) => [`${String(r.scope)}/${String(r.cluster)}/${String(r.account)}/${String(r.user)}`, Number(r.gpu_hours)]));

/** Cells of one worksheet of an XLSX file, read from its XML (inline strings as text, <v> cells as numbers). */
function xlsxSheet(file: string, n: number): (string | number)[][] {
  const xml = execFileSync('unzip', ['-p', file, `xl/worksheets/sheet${n}.xml`], { encoding: 'utf8' });
  const rows: (string | number)[][] = [];
  for (const row of xml.matchAll(/<row[^>]*>(.*?)<\/row>/gs)) {
    const cells: (string | number)[] = [];
    for (const c of (row[1] as string).matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const attrs = c[1] as string;
      const body = c[2] ?? '';
      const unescape = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
      if (/t="inlineStr"/.test(attrs)) cells.push(unescape(/<t[^>]*>(.*?)<\/t>/s.exec(body)?.[1] ?? ''));
      else if (/t="str"/.test(attrs)) cells.push(unescape(/<v>(.*?)<\/v>/s.exec(body)?.[1] ?? ''));
      else if (/t="s"/.test(attrs)) throw new Error('shared strings not expected');
      else cells.push(Number(/<v>(.*?)<\/v>/.exec(body)?.[1]));
    }
    rows.push(cells);
  }
  return rows;
}

describe('usage export', () => {
  it('CSV: RFC 4180 with a header, ISO-8601 times with offset, numbers equal to the hand-computed ones', async () => {
    const { out, manifest } = await exportIn('csv');
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('scope,cluster,account,user,period_start,period_end,gpu_hours,')).toBe(true);
    expect(text).toContain('\r\n');
    const rows = parse(text, { columns: true }) as Rec[];
    expect(gpuByKey(rows)).toEqual(EXPECTED_GPU_HOURS);
    expect(rows[0]?.period_start).toBe('2026-11-01T00:00:00+01:00');
    expect(rows[0]?.period_end).toBe('2026-11-03T00:00:00+01:00');
    const vision = rows.find((r) => r.scope === 'own' && r.user === 'opsuser') as Rec;
    expect(vision).toMatchObject({ preempted_gpu_hours: '4', runs: '2', jobs: '1', billing_hours: '200', cpu_hours: '64' });
    expect(rows.find((r) => r.scope === 'own' && r.user === 'alice')?.running_runs).toBe('1');
    expect(manifest.dataFile.rows).toBe(rows.length);
    expect(manifest.totals).toMatchObject({ gpuHours: 32, preemptedGpuHours: 4, runs: 6, jobs: 5, runningRuns: 1 });
    expect(manifest.clusters.map((c) => [c.name, c.slurmVersion, c.tresBillingWeights.gpu])).toEqual([
      ['alpha', '24.11.5', 'CPU=1.0,Mem=0.25G,GRES/gpu=16.0'],
      ['beta', '24.11.5', 'GRES/gpu=10.0'],
    ]);
    expect(manifest.clusters[0]?.accountingCollectedAt).toBe('2026-11-03T13:00:00+01:00');
    expect(manifest.window).toMatchObject({ from: '2026-11-01T00:00:00+01:00', to: '2026-11-03T00:00:00+01:00', timeZone: 'Europe/Berlin' });
    expect(manifest.countingRules.join(' ')).toMatch(/pro rata/i);
  });

  it('XLSX: a summary sheet and one sheet per grouping, amounts as numeric cells', async () => {
    const { out, manifest } = await exportIn('xlsx');
    expect(Object.keys(manifest.dataFile.sheets ?? {})).toEqual(['by cluster x account x user', 'by cluster', 'by account', 'by user']);
    const summary = xlsxSheet(out, 1);
    expect(summary.find((r) => r[0] === 'GPU-hours')?.[1]).toBe(32);
    const [header, ...body] = xlsxSheet(out, 2);
    const rows = body.map((cells) => Object.fromEntries((header as string[]).map((h, i) => [h, cells[i]])));
    expect(gpuByKey(rows)).toEqual(EXPECTED_GPU_HOURS);
    expect(typeof rows[0]?.gpu_hours).toBe('number');
    const [h3, ...byCluster] = xlsxSheet(out, 3);
    expect(byCluster.map((c) => [c[(h3 as string[]).indexOf('cluster')], c[(h3 as string[]).indexOf('gpu_hours')]])).toEqual([['alpha', 24], ['beta', 8]]);
  });

  it('Parquet: typed columns read back by hyparquet with equal numbers', async () => {
    const { out, manifest } = await exportIn('parquet');
    const buf = readFileSync(out);
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const meta = parquetMetadata(file);
    const types = Object.fromEntries(meta.schema.slice(1).map((s) => [s.name, s.type]));
    expect(types).toMatchObject({ cluster: 'BYTE_ARRAY', period_start: 'INT64', gpu_hours: 'DOUBLE', runs: 'INT64' });
    const rows = (await parquetReadObjects({ file })) as Rec[];
    expect(rows).toHaveLength(manifest.dataFile.rows);
    expect(gpuByKey(rows)).toEqual(EXPECTED_GPU_HOURS);
    const first = rows[0] as Rec;
    expect(new Date(first.period_start as Date).toISOString()).toBe('2026-10-31T23:00:00.000Z');
    expect(meta.key_value_metadata?.find((k) => k.key === 'clusterops.time_zone')?.value).toBe('Europe/Berlin');
  });

  it('JSON: columns and rows, numbers as numbers', async () => {
    const { out } = await exportIn('json');
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { columns: { name: string; type: string }[]; rows: Rec[] };
    expect(doc.columns.find((c) => c.name === 'gpu_hours')?.type).toBe('double');
    expect(gpuByKey(doc.rows)).toEqual(EXPECTED_GPU_HOURS);
  });

  it('splits by local day of the export zone', async () => {
    const { out, manifest } = await exportIn('csv', ['cluster', 'day']);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Rec[];
    // alpha, Berlin days: Nov 1 = job 10's first hour (2) + job 12's 2 h (2); Nov 2 = job 10 (2) + job 11 (16) + job 13 (2).
    expect(rows.map((r) => [r.cluster, r.day, Number(r.gpu_hours)])).toEqual([
      ['alpha', '2026-11-01', 4],
      ['alpha', '2026-11-02', 20],
      ['beta', '2026-11-02', 8],
    ]);
    expect(manifest.accountRollUp).toBe(false);
  });

  it('refuses an unknown cluster by name and leaves no file', async () => {
    const dir = tempDir();
    const store = usageStore(dir);
    const out = path.join(dir, 'x.csv');
    await expect(exportUsage(store.db, { clusters: ['gamma'], ...WINDOW, groupBy: [], format: 'csv', out })).rejects.toThrow(/gamma/);
    expect(existsSync(out)).toBe(false);
    store.close();
  });
});

export type { UsageManifest };
