import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AsOf } from '../../../../electron/core/store/as-of';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import { StoreError } from '../../../../electron/core/store/errors';
import { DEFAULT_RETENTION, pruneOld, readRetention, saveRetention } from '../../../../electron/core/store/retention';
import { RunsRepo } from '../../../../electron/core/store/runs-repo';
import { SettingsRepo } from '../../../../electron/core/store/settings-repo';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import { SnapshotsRepo } from '../../../../electron/core/store/snapshots-repo';
import { gpuNode, job, partition, run, storeWith } from './builders';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const DAY = 86400;
const NOW = 1_700_000_000 - (1_700_000_000 % DAY) + 12 * 3600; // noon UTC

const n = (db: Database.Database, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('retention settings', () => {
  it('defaults, saves valid changes and refuses invalid ones with a typed error', () => {
    const store = storeWith(tempDir(), []);
    const settings = new SettingsRepo(store.db);
    expect(readRetention(settings)).toEqual(DEFAULT_RETENTION);
    expect(saveRetention(settings, { sampleDays: 45, runDays: 400 }, NOW)).toEqual({ ...DEFAULT_RETENTION, sampleDays: 45, runDays: 400 });
    expect(readRetention(settings).sampleDays).toBe(45);
    for (const bad of [{ sampleDays: 0 }, { fullSnapshots: 1.5 }, { snapshotDays: '30' }, { runDays: -1 }, { nope: 1 }]) {
      expect(() => saveRetention(settings, bad as never, NOW)).toThrow(StoreError);
    }
    // A stored value another version wrote out of range falls back to the default, field by field.
    settings.set('retention', { sampleDays: 'many', snapshotDays: 10 }, NOW);
    expect(readRetention(settings)).toEqual({ ...DEFAULT_RETENTION, snapshotDays: 10 });
    store.close();
  });
});

describe('pruneOld', () => {
  it('drops old snapshots, spans and samples but keeps the latest of each kind and all runs by default', () => {
    const store = storeWith(tempDir(), ['alpha']);
    const db = store.db;
    const writer = new SnapshotWriter(store);
    // 40 days of daily snapshots; the accounting one only on day 0 (so it must survive as the latest of its kind).
    writer.write({ cluster: 'alpha', startedAt: NOW - 40 * DAY, finishedAt: NOW - 40 * DAY, accounting: { runs: [run(1, { startTime: NOW - 40 * DAY, endTime: NOW - 40 * DAY + 3600 })], since: null, until: NOW - 40 * DAY } });
    for (let d = 39; d >= 0; d--) {
      const at = NOW - d * DAY;
      writer.write({ cluster: 'alpha', startedAt: at, finishedAt: at, nodes: [gpuNode('gpu-01')], queue: d > 35 ? [job(500 + d)] : [job(1)], partitions: [partition('gpu', { state: d > 35 ? 'DOWN' : 'UP' })] });
    }
    const report = pruneOld(db, NOW, DEFAULT_RETENTION);
    expect(report.snapshots).toBe(40 - 31); // days 39..31 and the day-40 one is kept (latest accounting)
    const cid = new ClustersRepo(db).idOf('alpha');
    const snapshots = new SnapshotsRepo(db);
    expect(snapshots.latest(cid, 'accounting')?.finishedAt).toBe(NOW - 40 * DAY);
    expect(new RunsRepo(db).watermark(cid).windowUntil).toBe(NOW - 40 * DAY);
    expect(n(db, 'runs')).toBe(1);
    // Spans of jobs that ended before the oldest remaining snapshot are gone; the running job's span stays.
    expect(db.prepare('SELECT job_id_raw FROM job_spans ORDER BY job_id_raw').all()).toEqual([{ job_id_raw: 1 }]);
    expect(n(db, 'node_samples')).toBe(31); // days -30..0
    const oldest = snapshots.list(cid, { limit: 1000 }).filter((s) => s.kinds.includes('queue')).at(-1);
    expect(new AsOf(db).queue('alpha', oldest?.id)?.jobs.map((j) => j.jobIdRaw)).toEqual([1]);
    store.close();
  });

  it('cuts runs and usage_daily at the same local midnight when runDays is set', () => {
    const store = storeWith(tempDir(), [{ name: 'alpha', timeZone: 'America/New_York' }]);
    const db = store.db;
    const writer = new SnapshotWriter(store);
    const runs = [
      run(1, { submitTime: NOW - 20 * DAY, startTime: NOW - 20 * DAY, endTime: NOW - 20 * DAY + 600, elapsed: 600 }),
      run(2, { submitTime: NOW - 3 * DAY, startTime: NOW - 3 * DAY, endTime: NOW - 3 * DAY + 600, elapsed: 600 }),
      run(3, { submitTime: NOW - 25 * DAY, startTime: NOW - 25 * DAY, endTime: null, elapsed: 25 * DAY, state: 'RUNNING' }),
    ];
    writer.write({ cluster: 'alpha', startedAt: NOW, finishedAt: NOW, accounting: { runs, since: null, until: NOW } });
    const report = pruneOld(db, NOW, { ...DEFAULT_RETENTION, runDays: 10 });
    expect(report.runs).toBe(1);
    expect(db.prepare('SELECT job_id_raw FROM runs ORDER BY 1').all()).toEqual([{ job_id_raw: 2 }, { job_id_raw: 3 }]);
    const days = (db.prepare('SELECT DISTINCT day FROM usage_daily ORDER BY day').all() as { day: string }[]).map((r) => r.day);
    const cut = new Date((NOW - 10 * DAY) * 1000 - 5 * 3600 * 1000).toISOString().slice(0, 10); // New York date
    expect(days.every((d) => d >= cut)).toBe(true);
    expect(days.length).toBeGreaterThan(0);
    store.close();
  });
});
