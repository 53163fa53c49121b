// The sacct ingest path end to end: worker thread + real parser + runs + usage_daily + snapshot, on real
// test-bed outputs (22.05 and 24.11) and on generated ones.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../../../../bench/generate/cluster';
import { SacctGenerator } from '../../../../bench/generate/sacct';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import type { Store } from '../../../../electron/core/store/db';
import { StoreError } from '../../../../electron/core/store/errors';
import { ingestSacct } from '../../../../electron/core/store/sacct-ingest';
import { RunsRepo } from '../../../../electron/core/store/runs-repo';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import { SnapshotsRepo } from '../../../../electron/core/store/snapshots-repo';
import { parseSacct } from '../../../../shared/slurm/parse/sacct';
import { storeWith } from './builders';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures/slurm');
const NOW = 1_764_000_000;

function generated(rows: number, version: '22.05' | '24.11' = '24.11', jobsPerDay = 50_000): string {
  const gen = new SacctGenerator(buildCluster(3), { rows, now: NOW, jobsPerDay, version, seed: 11 });
  return `${[gen.header(), ...gen.lines()].join('\n')}\n`;
}

const count = (store: Store, sql: string, ...args: unknown[]) => (store.db.prepare(sql).get(...args) as { n: number }).n;

/** usage_daily must hold exactly the GPU-seconds of the started runs. */
function checkUsage(store: Store, clusterId: number): void {
  const fromRuns = count(store, 'SELECT coalesce(sum(gpus * elapsed), 0) AS n FROM runs WHERE cluster_id = ? AND start_time IS NOT NULL', clusterId);
  const fromRollup = count(store, 'SELECT coalesce(sum(gpu_seconds), 0) AS n FROM usage_daily WHERE cluster_id = ?', clusterId);
  expect(fromRollup).toBe(fromRuns);
  const started = count(store, 'SELECT count(*) AS n FROM runs WHERE cluster_id = ? AND start_time IS NOT NULL', clusterId);
  expect(count(store, 'SELECT coalesce(sum(runs_started), 0) AS n FROM usage_daily WHERE cluster_id = ?', clusterId)).toBe(started);
}

describe('ingestSacct', () => {
  it.each([['22.05'], ['24.11']])('stores the real %s test-bed output: every run, requeued runs apart, usage rolled up', async (version) => {
    const store = storeWith(tempDir(), ['testbed']);
    const file = path.join(FIXTURES, version, 'sacct.txt');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').length - 1;
    const result = await ingestSacct(store, { cluster: 'testbed', input: { file }, window: { since: NOW - 86400, until: NOW } });
    expect(result.errorCount).toBe(0);
    expect(result.rows).toBe(lines);
    expect(result.counts.inserted).toBe(lines - result.skippedSteps);
    const clusterId = new ClustersRepo(store.db).idOf('testbed');
    expect(new RunsRepo(store.db).count(clusterId)).toBe(result.counts.inserted);
    // The test bed requeues and preempts jobs: some job ids have several runs, each its own row.
    expect(count(store, 'SELECT count(*) AS n FROM (SELECT job_id_raw FROM runs GROUP BY job_id_raw HAVING count(*) > 1)')).toBeGreaterThan(0);
    expect(result.snapshot).toMatchObject({ cluster: 'testbed', kinds: ['accounting'], status: 'ok' });
    expect(new RunsRepo(store.db).watermark(clusterId).windowUntil).toBe(NOW);
    checkUsage(store, clusterId);
    store.close();
  });

  it('stores generated output with arrays, requeues and every state; a second ingest changes nothing', async () => {
    const dir = tempDir();
    const store = storeWith(dir, ['bench']);
    const file = path.join(dir, 'sacct.txt');
    writeFileSync(file, generated(6000));
    const progress: number[] = [];
    const first = await ingestSacct(store, { cluster: 'bench', input: { file }, txRows: 1000, batchRows: 250, chunkBytes: 64 * 1024, workers: 2, onProgress: (n) => progress.push(n) });
    expect(first.errorCount).toBe(0);
    expect(first.counts).toEqual({ inserted: 6000, updated: 0, unchanged: 0 });
    expect(progress.at(-1)).toBe(6000);
    expect(progress.length).toBeGreaterThan(3); // committed in several transactions
    const clusterId = new ClustersRepo(store.db).idOf('bench');
    const states = (store.db.prepare('SELECT DISTINCT state FROM runs').all() as { state: string }[]).map((r) => r.state);
    expect(states).toEqual(expect.arrayContaining(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'PREEMPTED', 'RUNNING', 'NODE_FAIL']));
    expect(count(store, 'SELECT count(*) AS n FROM runs WHERE array_task_id IS NOT NULL')).toBeGreaterThan(100);
    checkUsage(store, clusterId);
    const usage = store.db.prepare('SELECT * FROM usage_daily ORDER BY 1, 2, 3, 4, 5, 6, 7').all();
    const again = await ingestSacct(store, { cluster: 'bench', input: { file } });
    expect(again.counts).toEqual({ inserted: 0, updated: 0, unchanged: 6000 });
    expect(store.db.prepare('SELECT * FROM usage_daily ORDER BY 1, 2, 3, 4, 5, 6, 7').all()).toEqual(usage);
    expect(new SnapshotsRepo(store.db).list(clusterId).map((s) => s.source)).toEqual(['import', 'import']);
    store.close();
  });

  it('stores the same runs and rolls usage up exactly as the snapshot writer does (worker sums by codes, writer by strings)', async () => {
    const text = generated(8000, '24.11', 400); // ~10 days of history
    const a = storeWith(tempDir(), [{ name: 'bench', timeZone: 'America/Chicago' }]);
    const b = storeWith(tempDir(), [{ name: 'bench', timeZone: 'America/Chicago' }]);
    const file = path.join(path.dirname(a.path), 'in.txt');
    writeFileSync(file, text);
    // small batches: many dictionary generations and batch boundaries inside one ingest
    await ingestSacct(a, { cluster: 'bench', input: { file }, batchRows: 97, chunkBytes: 100_000, workers: 3 });
    const parsed = parseSacct(text, { timeZone: 'America/Chicago' });
    expect(parsed.errors).toEqual([]);
    new SnapshotWriter(b).write({ cluster: 'bench', startedAt: NOW, finishedAt: NOW, accounting: { runs: parsed.items, since: null, until: NOW } });
    const dump = (s: Store) => s.db.prepare('SELECT * FROM usage_daily ORDER BY day, account, user, partition, qos, gpu_type').all();
    expect(dump(a).length).toBeGreaterThan(1000);
    expect(count(a, 'SELECT count(DISTINCT day) AS n FROM usage_daily')).toBeGreaterThan(8);
    expect(dump(a)).toEqual(dump(b));
    // Every column of every run, too: the worker's path (shared parser objects, typed batches) and the
    // writer's (fresh AccountingRuns, one row at a time) must not differ anywhere.
    const runs = (s: Store) => s.db.prepare('SELECT * FROM runs ORDER BY job_id_raw, submit_time').all();
    expect(runs(a)).toHaveLength(8000);
    expect(runs(a)).toEqual(runs(b));
    a.close();
    b.close();
  });

  it('reads a stream in odd-sized chunks (split inside UTF-8 characters) exactly like the file', async () => {
    const text = generated(1500);
    expect(text).toMatch(/prétraitement/);
    const bytes = Buffer.from(text, 'utf8');
    const chunks: Buffer[] = [];
    for (let at = 0, size = 1; at < bytes.length; at += size, size = (size * 7 + 3) % 4093) chunks.push(bytes.subarray(at, at + Math.max(1, size)));
    const a = storeWith(tempDir(), ['bench']);
    const b = storeWith(tempDir(), ['bench']);
    const file = path.join(path.dirname(a.path), 'in.txt');
    writeFileSync(file, bytes);
    await ingestSacct(a, { cluster: 'bench', input: { file } });
    await ingestSacct(b, { cluster: 'bench', input: { stream: Readable.from(chunks) } });
    const dump = (s: Store) => s.db.prepare('SELECT * FROM runs ORDER BY job_id_raw, submit_time').all();
    expect(dump(b)).toEqual(dump(a));
    expect(dump(a)).toHaveLength(1500);
    // A file is read by the workers in byte ranges: ranges shorter than a line (most hold no line start) and
    // odd sizes give the same runs.
    for (const chunkBytes of [97, 4099]) {
      const c = storeWith(tempDir(), ['bench']);
      const r = await ingestSacct(c, { cluster: 'bench', input: { file }, chunkBytes, workers: 2, batchRows: 50 });
      expect(r.rows).toBe(1500);
      expect(dump(c)).toEqual(dump(a));
      c.close();
    }
    a.close();
    b.close();
  });

  it('a stream cut half-way (connection lost) fails typed, writes no snapshot, and a retry completes the runs', async () => {
    const store = storeWith(tempDir(), ['bench']);
    const text = generated(5000);
    const cut = async function* () {
      yield text.slice(0, 300_000);
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('ssh channel closed: connection reset by peer');
    };
    await expect(ingestSacct(store, { cluster: 'bench', input: { stream: cut() }, txRows: 500 })).rejects.toMatchObject({ code: 'ingest-failed', message: /connection reset/ });
    expect(count(store, 'SELECT count(*) AS n FROM snapshots')).toBe(0);
    const clusterId = new ClustersRepo(store.db).idOf('bench');
    checkUsage(store, clusterId); // whatever committed, committed with its usage
    const retry = await ingestSacct(store, { cluster: 'bench', input: { stream: Readable.from([text]) } });
    expect(retry.counts.inserted + retry.counts.unchanged).toBe(5000);
    expect(new RunsRepo(store.db).count(clusterId)).toBe(5000);
    checkUsage(store, clusterId);
    store.close();
  });

  it('stops, typed, when the cluster is removed while its runs are being ingested', async () => {
    const dir = tempDir();
    const store = storeWith(dir, ['bench']);
    const file = path.join(dir, 'in.txt');
    writeFileSync(file, generated(20_000));
    let removed = false;
    const ingest = ingestSacct(store, {
      cluster: 'bench',
      input: { file },
      chunkBytes: 64 * 1024,
      txRows: 1000,
      onProgress: () => {
        if (!removed) removed = new ClustersRepo(store.db).remove('bench');
      },
    });
    await expect(ingest).rejects.toMatchObject({ code: 'not-found', message: /removed during the ingest/ });
    expect(removed).toBe(true);
    // Nothing of the cluster is left behind: what was committed went with the cluster (cascade on this connection).
    expect(count(store, 'SELECT count(*) AS n FROM runs')).toBe(0);
    expect(count(store, 'SELECT count(*) AS n FROM usage_daily')).toBe(0);
    store.close();
  });

  it('reads a file saved on Windows (byte-order mark, CRLF line ends) like the original', async () => {
    const dir = tempDir();
    const store = storeWith(dir, ['testbed']);
    const original = readFileSync(path.join(FIXTURES, '24.11', 'sacct.txt'), 'utf8');
    const file = path.join(dir, 'windows.txt');
    writeFileSync(file, `\uFEFF${original.replace(/\n/g, '\r\n')}`);
    const result = await ingestSacct(store, { cluster: 'testbed', input: { file } });
    expect(result.errorCount).toBe(0);
    expect(result.rows).toBe(original.trimEnd().split('\n').length - 1);
    expect(count(store, "SELECT count(*) AS n FROM runs WHERE name LIKE '%' || char(13)")).toBe(0);
    store.close();
  });

  it('stores every readable row of a damaged file and reports the others with their line numbers', async () => {
    const dir = tempDir();
    const store = storeWith(dir, ['bench']);
    const lines = generated(300).trimEnd().split('\n');
    lines.splice(10, 0, 'this is not a sacct row');
    lines.splice(20, 0, (lines[20] as string).split('|').slice(0, 5).join('|'));
    const file = path.join(dir, 'damaged.txt');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const result = await ingestSacct(store, { cluster: 'bench', input: { file } });
    expect(result.counts.inserted).toBe(300);
    expect(result.errorCount).toBe(2);
    expect(result.errors.map((e) => e.line)).toEqual([11, 21]);
    expect(result.snapshot.status).toBe('partial');
    expect(result.snapshot.errors[0]?.message).toMatch(/2 sacct row\(s\) could not be read; first: line 11/);
    store.close();
  });

  it('fails with a typed error, storing nothing, on input without a header', async () => {
    const dir = tempDir();
    const store = storeWith(dir, ['bench']);
    const file = path.join(dir, 'noheader.txt');
    writeFileSync(file, `${generated(50).split('\n').slice(1).join('\n')}`);
    await expect(ingestSacct(store, { cluster: 'bench', input: { file } })).rejects.toMatchObject({ name: 'StoreError', code: 'ingest-failed', message: /header/ });
    expect(count(store, 'SELECT count(*) AS n FROM runs')).toBe(0);
    expect(count(store, 'SELECT count(*) AS n FROM snapshots')).toBe(0);
    await expect(ingestSacct(store, { cluster: 'nope', input: { file } })).rejects.toBeInstanceOf(StoreError);
    await expect(ingestSacct(store, { cluster: 'bench', input: { file: path.join(dir, 'missing.txt') } })).rejects.toMatchObject({ code: 'ingest-failed', message: /ENOENT/ });
    store.close();
  });
});
