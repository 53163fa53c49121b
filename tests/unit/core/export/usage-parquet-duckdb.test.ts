// Issue 7 promises Parquet "readable by DuckDB/pandas/Arrow": here DuckDB (its own C++ Parquet reader, from
// the npm package @duckdb/node-api, no extension downloads) reads a usage export with read_parquet and its
// column types (DESCRIBE) must be the ones the manifest promises, timestamps as TIMESTAMP WITH TIME ZONE
// (UTC instants), values equal to the hand-computed ones and the manifest's totals.
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { UsageFormat } from '../../../../electron/core/export/manifest';
import { writeUsageParquet } from '../../../../electron/core/export/parquet-writer';
import { exportUsage } from '../../../../electron/core/export/usage-export';
import { UsageTable, type ColumnType } from '../../../../electron/core/export/usage-table';
import { emptySums, type UsageDimension } from '../../../../shared/usage/usage-accumulator';
import { useTempDirs } from '../store/temp-dir';
import { COLLECTED, EXPECTED_GPU_HOURS, WINDOW, Z, usageStore } from './usage-fixture';

const tempDir = useTempDirs();

/** What DuckDB must call each column type the manifest lists. */
const DUCKDB_TYPE: Record<ColumnType, string> = { string: 'VARCHAR', timestamp: 'TIMESTAMP WITH TIME ZONE', double: 'DOUBLE', int: 'BIGINT' };

const open: { close(): void }[] = [];
afterEach(() => {
  for (const o of open.splice(0).reverse()) o.close();
});

async function duckdb(): Promise<DuckDBConnection> {
  // Parquet and ICU are built into the binding; refuse (rather than fetch) anything else.
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  open.push({ close: () => instance.closeSync() });
  const conn = await instance.connect();
  open.push({ close: () => conn.closeSync() });
  return conn;
}

async function rows(conn: DuckDBConnection, sql: string, file: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql, { file })).getRowObjectsJS() as Record<string, unknown>[];
}

async function exportParquet(groupBy: UsageDimension[]) {
  const dir = tempDir();
  const store = usageStore(dir);
  const out = path.join(dir, 'usage.parquet');
  const format: UsageFormat = 'parquet';
  const { manifest } = await exportUsage(store.db, { clusters: [], ...WINDOW, groupBy, format, out, now: COLLECTED + 60 });
  store.close();
  return { out, manifest };
}

describe('usage Parquet read by DuckDB', () => {
  it('has the column types the manifest promises and the hand-computed numbers', async () => {
    const { out, manifest } = await exportParquet(['cluster', 'account', 'user']);
    const conn = await duckdb();

    const described = await rows(conn, 'DESCRIBE SELECT * FROM read_parquet($file)', out);
    expect(described.map((d) => [d.column_name, d.column_type])).toEqual(manifest.columns.map((c) => [c.name, DUCKDB_TYPE[c.type]]));

    const all = await rows(conn, 'SELECT * FROM read_parquet($file)', out);
    expect(all).toHaveLength(manifest.dataFile.rows);
    const gpu = Object.fromEntries(all.map((r) => [`${String(r.scope)}/${String(r.cluster)}/${String(r.account)}/${String(r.user)}`, r.gpu_hours]));
    expect(gpu).toEqual(EXPECTED_GPU_HOURS);
    for (const r of all) {
      // Every row covers the whole window: Berlin midnight to midnight, as instants.
      expect([(r.period_start as Date).toISOString(), (r.period_end as Date).toISOString()]).toEqual(['2026-10-31T23:00:00.000Z', '2026-11-02T23:00:00.000Z']);
    }
    // opsuser's job 11: a preempted 1 h run and a 3 h requeued run, 4 GPUs, billing 50.
    expect(all.find((r) => r.scope === 'own' && r.user === 'opsuser')).toMatchObject({ gpu_hours: 16, billing_hours: 200, cpu_hours: 64, preempted_gpu_hours: 4, runs: 2n, jobs: 1n, running_runs: 0n });
    expect(all.find((r) => r.scope === 'own' && r.user === 'alice')?.running_runs).toBe(1n);

    // DuckDB's own arithmetic over the file agrees with the manifest's totals.
    const [sums] = await rows(conn, "SELECT sum(gpu_hours) AS gpu, sum(billing_hours) AS billing, sum(cpu_hours) AS cpu, sum(preempted_gpu_hours) AS pre, sum(runs) AS runs, sum(running_runs) AS running FROM read_parquet($file) WHERE scope = 'own'", out);
    const t = manifest.totals;
    expect(sums).toEqual({ gpu: t.gpuHours, billing: t.billingHours, cpu: t.cpuHours, pre: t.preemptedGpuHours, runs: BigInt(t.runs), running: BigInt(t.runningRuns) });

    const kv = await rows(conn, 'SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata($file)', out);
    expect(kv).toContainEqual({ key: 'clusterops.time_zone', value: 'Europe/Berlin' });
  });

  it('day periods are instants that DuckDB shows at local midnight in the export zone', async () => {
    const { out } = await exportParquet(['cluster', 'day']);
    const conn = await duckdb();
    const days = await rows(conn, "SELECT cluster, day, strftime(timezone('Europe/Berlin', period_start), '%Y-%m-%d %H:%M') AS local_start, epoch(period_end)::BIGINT AS end_s, gpu_hours FROM read_parquet($file) ORDER BY cluster, day", out);
    expect(days).toEqual([
      { cluster: 'alpha', day: '2026-11-01', local_start: '2026-11-01 00:00', end_s: BigInt(Z(2026, 11, 1, 23)), gpu_hours: 4 },
      { cluster: 'alpha', day: '2026-11-02', local_start: '2026-11-02 00:00', end_s: BigInt(Z(2026, 11, 2, 23)), gpu_hours: 20 },
      { cluster: 'beta', day: '2026-11-02', local_start: '2026-11-02 00:00', end_s: BigInt(Z(2026, 11, 2, 23)), gpu_hours: 8 },
    ]);
  });

  it('keeps non-ASCII names, empty keys, fractional hours and large counts exact', async () => {
    const out = path.join(tempDir(), 'names.parquet');
    const table = new UsageTable(['account', 'user', 'gpuType'], 'UTC', false);
    const base = { scope: 'own' as const, periodStart: Z(2026, 11, 1), periodEnd: Z(2026, 12, 1) };
    const written = await writeUsageParquet(out, table, [
      { ...emptySums(), ...base, keys: ['physik-ü', 'zoë', ''], gpuSeconds: 1, runs: 3_000_000_000, jobs: 2 ** 40 },
      { ...emptySums(), ...base, keys: ['研究', '🙂user', 'h100'], gpuSeconds: 3600 / 3 },
    ], {});
    expect(written).toBe(2);
    const conn = await duckdb();
    const got = await rows(conn, 'SELECT account, "user", gpu_type, gpu_hours, runs, jobs, length(account) AS account_chars FROM read_parquet($file)', out);
    expect(got).toEqual([
      { account: 'physik-ü', user: 'zoë', gpu_type: '', gpu_hours: 1 / 3600, runs: 3_000_000_000n, jobs: 2n ** 40n, account_chars: 8n },
      { account: '研究', user: '🙂user', gpu_type: 'h100', gpu_hours: 1 / 3, runs: 0n, jobs: 0n, account_chars: 2n },
    ]);
  });
});
