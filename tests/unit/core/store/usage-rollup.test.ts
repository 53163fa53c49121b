// usage_daily is maintained incrementally at ingest; it must always equal a recomputation from the runs
// table. The reference here walks each run in 15-minute steps (the test times are multiples of 15 minutes) and asks the zone for each step's date, so
// it shares no day-boundary logic with the code under test.
import { describe, expect, it } from 'vitest';
import type { AccountingRun } from '../../../../shared/model/run';
import type { Tres } from '../../../../shared/model/tres';
import { formatSlurmTime } from '../../../../shared/slurm/parse/time';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import { RunsRepo } from '../../../../electron/core/store/runs-repo';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import { run, storeWith, tres } from './builders';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const ZONE = 'Europe/Berlin';
const DST_END = Date.UTC(2025, 9, 26, 1) / 1000; // 2025-10-26 03:00 CEST -> 02:00 CET

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function randomRun(id: number, r: () => number): AccountingRun {
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)] as T;
  const gpuShape = pick<Partial<Tres>>([{}, { gpu: 2 }, { gpu: 4, gpuByType: { a100: 4 } }, { gpu: 3, gpuByType: { a100: 2, v100: 1 } }, { gpu: 8, gpuByType: { h100: 8 } }]);
  const started = r() < 0.9;
  const start = DST_END - 2 * 86400 + Math.floor(r() * 4 * 86400 / 900) * 900;
  const elapsed = started ? Math.floor(r() * 3 * 86400 / 900) * 900 : 0;
  return run(id, {
    submitTime: start - 600,
    user: pick(['alice', 'bob', 'carol']),
    account: pick(['nlp', 'vision']),
    partition: pick(['gpu', 'gpu-preempt']),
    qos: pick(['normal', 'low']),
    state: started ? pick(['COMPLETED', 'FAILED', 'RUNNING', 'PREEMPTED']) : 'PENDING',
    startTime: started ? start : null,
    endTime: started ? start + elapsed : null,
    elapsed,
    allocTres: tres({ cpu: 1 + Math.floor(r() * 32), billing: Math.floor(r() * 200), node: 1, memMiB: 1000, ...gpuShape }),
  });
}

type Usage = Record<string, [number, number, number, number]>;

function reference(runs: AccountingRun[]): Usage {
  const out: Usage = {};
  const add = (key: string, i: number, v: number) => {
    const acc = (out[key] ??= [0, 0, 0, 0]);
    acc[i] = (acc[i] as number) + v;
  };
  for (const r of runs) {
    if (r.startTime === null) continue;
    const types = Object.keys(r.allocTres.gpuByType).sort();
    const pairs: [string, number][] = types.map((t) => [t, r.allocTres.gpuByType[t] as number]);
    const typed = pairs.reduce((a, [, n]) => a + n, 0);
    if (typed < r.allocTres.gpu) pairs.push(['', r.allocTres.gpu - typed]);
    if (pairs.length === 0) pairs.push(['', 0]);
    const dims = `${r.account}|${r.user}|${r.partition}|${r.qos}`;
    const startDay = formatSlurmTime(r.startTime, ZONE).slice(0, 10);
    add(`${startDay}|${dims}|${(pairs[0] as [string, number])[0]}`, 3, 1);
    for (let t = r.startTime; t < r.startTime + r.elapsed; t += 900) {
      const day = formatSlurmTime(t, ZONE).slice(0, 10);
      pairs.forEach(([type, n], i) => {
        const key = `${day}|${dims}|${type}`;
        add(key, 0, n * 900);
        if (i === 0) {
          add(key, 1, r.allocTres.billing * 900);
          add(key, 2, r.allocTres.cpu * 900);
        }
      });
    }
  }
  for (const k of Object.keys(out)) if ((out[k] as number[]).every((v) => v === 0)) delete out[k];
  return out;
}

describe('usage_daily', () => {
  it('equals a recomputation from the runs after inserts, updates and unchanged re-sends, across a DST change', () => {
    const store = storeWith(tempDir(), [{ name: 'alpha', timeZone: ZONE }]);
    const writer = new SnapshotWriter(store);
    const r = rng(7);
    const first = Array.from({ length: 150 }, (_, i) => randomRun(1000 + i, r));
    writer.write({ cluster: 'alpha', startedAt: DST_END, finishedAt: DST_END, accounting: { runs: first, since: null, until: DST_END } });
    // Later: some runs changed (finished, moved, grew), some are new, some are sent again unchanged.
    const changed = first.slice(0, 40).map((x) => ({ ...randomRun(x.jobIdRaw, r), submitTime: x.submitTime }));
    const fresh = Array.from({ length: 50 }, (_, i) => randomRun(2000 + i, r));
    writer.write({ cluster: 'alpha', startedAt: DST_END + 60, finishedAt: DST_END + 60, accounting: { runs: [...changed, ...fresh, ...first.slice(100, 130)], since: DST_END, until: DST_END + 60 } });
    const clusterId = new ClustersRepo(store.db).idOf('alpha');
    const stored = new RunsRepo(store.db).inWindow(clusterId, 0, 2 ** 40);
    expect(stored).toHaveLength(200);
    const rows = store.db.prepare('SELECT * FROM usage_daily WHERE cluster_id = ?').all(clusterId) as Record<string, string | number>[];
    const got: Usage = {};
    for (const row of rows) got[`${row.day}|${row.account}|${row.user}|${row.partition}|${row.qos}|${row.gpu_type}`] = [row.gpu_seconds, row.billing_seconds, row.cpu_seconds, row.runs_started] as [number, number, number, number];
    expect(got).toEqual(reference(stored));
    // The DST day (25 hours in Berlin) is one day, not split at UTC midnight.
    expect(Object.keys(got).some((k) => k.startsWith('2025-10-26'))).toBe(true);
    store.close();
  });
});
