import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AsOf } from '../../../../electron/core/store/as-of';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import { StoreError } from '../../../../electron/core/store/errors';
import { FairshareRepo } from '../../../../electron/core/store/fairshare-repo';
import { saveRetention } from '../../../../electron/core/store/retention';
import { RunsRepo } from '../../../../electron/core/store/runs-repo';
import { SettingsRepo } from '../../../../electron/core/store/settings-repo';
import { SnapshotWriter, type Collection } from '../../../../electron/core/store/snapshot-writer';
import { SnapshotsRepo } from '../../../../electron/core/store/snapshots-repo';
import { gpuNode, job, partition, run, storeWith } from './builders';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const T0 = 1_700_000_000;

function count(db: Database.Database, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n;
}

describe('SnapshotWriter', () => {
  it('writes every kind of a collection as one snapshot and reads it back', () => {
    const store = storeWith(tempDir(), ['alpha']);
    const writer = new SnapshotWriter(store);
    const snap = writer.write({
      cluster: 'alpha',
      startedAt: T0,
      finishedAt: T0 + 3,
      nodes: [gpuNode('gpu-01'), gpuNode('gpu-02', { state: 'IDLE', flags: ['DRAIN'], reason: 'bad gpu', reasonUser: 'root', reasonTime: T0 - 60 })],
      queue: [job(100), job(101, { state: 'PENDING', reason: 'Resources', startTime: null, tresAlloc: null, nodesExpr: null, nodes: [] })],
      partitions: [partition('gpu'), partition('cpu', { nodesExpr: 'cpu-01', nodes: ['cpu-01'] })],
      accounting: { runs: [run(90), run(91, { state: 'PREEMPTED', endTime: T0 + 1800, elapsed: 1700 })], since: T0 - 3600, until: T0 },
      fairshare: [
        { account: 'root', user: null, depth: 0, parent: null, rawShares: 1, normShares: 1, rawUsage: 100, effectiveUsage: 1, fairShare: 0.5, levelFs: Infinity, grpTresMins: null, tresRunMins: 'cpu=10' },
        { account: 'nlp', user: 'alice', depth: 2, parent: 'nlp', rawShares: 1, normShares: 0.5, rawUsage: 50, effectiveUsage: 0.5, fairShare: 0.4, levelFs: 1.2, grpTresMins: null, tresRunMins: null },
      ],
      priority: [{ jobIdRaw: 101, user: 'alice', account: 'nlp', partition: 'gpu', priority: 12000, age: 100, fairshare: 5000, jobSize: 10, partitionFactor: 1000, qos: 0, site: 0, tres: null }],
      controller: { statsSince: T0 - 3600, serverThreadCount: 3, agentQueueSize: 0, jobsSubmitted: 10, jobsStarted: 8, jobsCompleted: 5, jobsFailed: 1, mainSchedulerLastCycleUs: 1200, mainSchedulerMeanCycleUs: 900, backfillLastCycleUs: 5000, backfillMeanCycleUs: 4000, rpcByType: [{ name: 'REQUEST_JOB_INFO', count: 10, totalTimeUs: 100 }], rpcByUser: [] },
    });
    expect(snap).toMatchObject({ cluster: 'alpha', status: 'ok', errors: [], source: 'poll', kinds: ['nodes', 'partitions', 'queue', 'accounting', 'fairshare', 'priority', 'controller'] });
    expect(snap.rows).toMatchObject({ nodes: 2, queue: 2, partitions: 2, accounting: 2 });
    const asOf = new AsOf(store.db);
    const nodes = asOf.nodes('alpha');
    expect(nodes?.exact).toBe(true);
    expect(nodes?.nodes.map((n) => n.name)).toEqual(['gpu-01', 'gpu-02']);
    expect(nodes?.nodes[1]).toEqual(gpuNode('gpu-02', { state: 'IDLE', flags: ['DRAIN'], reason: 'bad gpu', reasonUser: 'root', reasonTime: T0 - 60 }));
    const queue = asOf.queue('alpha');
    expect(queue?.exact).toBe(true);
    expect(queue?.jobs).toEqual([job(100), job(101, { state: 'PENDING', reason: 'Resources', startTime: null, tresAlloc: null, nodesExpr: null, nodes: [] })]);
    expect(asOf.partitions('alpha')?.partitions.map((p) => p.name)).toEqual(['cpu', 'gpu']);
    const clusterId = new ClustersRepo(store.db).idOf('alpha');
    const runs = new RunsRepo(store.db);
    expect(runs.preemptedSince(clusterId, T0).map((r) => r.jobIdRaw)).toEqual([91]);
    expect(runs.watermark(clusterId)).toEqual({ windowUntil: T0, maxSeen: T0 + 3700, maxEnd: T0 + 3700 });
    const fs = new FairshareRepo(store.db).read(snap.id);
    expect(fs[0]?.levelFs).toBe(Infinity);
    expect(fs[1]?.user).toBe('alice');
    store.close();
  });

  it('records failed kinds as a partial snapshot and keeps what did arrive', () => {
    const store = storeWith(tempDir(), ['alpha']);
    const snap = new SnapshotWriter(store).write({ cluster: 'alpha', startedAt: T0, finishedAt: T0, nodes: [gpuNode('gpu-01')], errors: [{ kind: 'accounting', message: 'slurmdbd: Connection refused' }] });
    expect(snap.status).toBe('partial');
    expect(snap.kinds).toEqual(['nodes']);
    expect(snap.errors).toEqual([{ kind: 'accounting', message: 'slurmdbd: Connection refused' }]);
    store.close();
  });

  it('stores nothing of a collection that fails half-way: the previous snapshot stays the latest and complete', () => {
    const store = storeWith(tempDir(), ['alpha']);
    const writer = new SnapshotWriter(store);
    const first = writer.write({ cluster: 'alpha', startedAt: T0, finishedAt: T0, nodes: [gpuNode('gpu-01')], queue: [job(1), job(2)], accounting: { runs: [run(1)], since: null, until: T0 } });
    const before = ['snapshots', 'snapshot_kinds', 'nodes_current', 'jobs_current', 'job_spans', 'runs', 'usage_daily', 'node_samples', 'accounting_windows'].map((t) => count(store.db, `SELECT count(*) AS n FROM ${t}`));
    // The queue is written before accounting; the bad run (negative elapsed) fails the whole snapshot.
    const bad: Collection = { cluster: 'alpha', startedAt: T0 + 60, finishedAt: T0 + 60, nodes: [gpuNode('gpu-01', { state: 'DOWN' })], queue: [job(3)], accounting: { runs: [run(4), run(5, { elapsed: -5 })], since: T0, until: T0 + 60 } };
    expect(() => writer.write(bad)).toThrow(StoreError);
    const after = ['snapshots', 'snapshot_kinds', 'nodes_current', 'jobs_current', 'job_spans', 'runs', 'usage_daily', 'node_samples', 'accounting_windows'].map((t) => count(store.db, `SELECT count(*) AS n FROM ${t}`));
    expect(after).toEqual(before);
    const latest = new SnapshotsRepo(store.db).latest(new ClustersRepo(store.db).idOf('alpha'));
    expect(latest?.id).toBe(first.id);
    expect(new AsOf(store.db).queue('alpha')?.jobs.map((j) => j.jobIdRaw)).toEqual([1, 2]);
    store.close();
  });

  it('refuses an unknown cluster and impossible times', () => {
    const store = storeWith(tempDir(), ['alpha']);
    const writer = new SnapshotWriter(store);
    expect(() => writer.write({ cluster: 'nope', startedAt: T0, finishedAt: T0 })).toThrow(/no cluster named "nope" \(known: alpha\)/);
    expect(() => writer.write({ cluster: 'alpha', startedAt: T0, finishedAt: T0 - 1 })).toThrow(/finishedAt/);
    expect(() => writer.write({ cluster: 'alpha', startedAt: T0, finishedAt: T0, queue: [job(1), job(1)] })).toThrow(/job 1 \(raw 1\) cannot be stored/);
    store.close();
  });

  it('keeps full rows of the latest K snapshots and answers older ones from job spans and node samples', () => {
    const store = storeWith(tempDir(), ['alpha']);
    saveRetention(new SettingsRepo(store.db), { fullSnapshots: 2 }, T0);
    const writer = new SnapshotWriter(store);
    const ids: number[] = [];
    // Job 1 runs throughout; job 2 pends, then runs from the third snapshot; job 3 leaves after the second.
    const queues = [
      [job(1), job(2, { state: 'PENDING', reason: 'Priority', startTime: T0 + 9999 }), job(3)],
      [job(1, { priority: 10_050 }), job(2, { state: 'PENDING', reason: 'Priority', startTime: T0 + 8888 }), job(3)],
      [job(1, { priority: 10_100 }), job(2)],
      [job(1, { priority: 10_150 }), job(2)],
    ];
    queues.forEach((queue, i) => {
      const at = T0 + i * 300;
      ids.push(writer.write({ cluster: 'alpha', startedAt: at, finishedAt: at, queue, nodes: [gpuNode('gpu-01', { gpus: [{ type: 'a100', total: 8, used: i, usedIndices: null }] })] }).id);
    });
    expect(count(store.db, 'SELECT count(DISTINCT snapshot_id) AS n FROM jobs_current')).toBe(2);
    expect(count(store.db, 'SELECT count(DISTINCT snapshot_id) AS n FROM nodes_current')).toBe(2);
    // job 1 changed only its priority (not part of spans), job 2 changed once, job 3 ended: 4 spans.
    expect(count(store.db, 'SELECT count(*) AS n FROM job_spans')).toBe(4);
    const asOf = new AsOf(store.db);
    const old = asOf.queue('alpha', ids[1]);
    expect(old?.exact).toBe(false);
    expect(old?.jobs.map((j) => [j.jobIdRaw, j.state, j.reason])).toEqual([
      [1, 'RUNNING', null],
      [2, 'PENDING', 'Priority'],
      [3, 'RUNNING', null],
    ]);
    const recent = asOf.queue('alpha', ids[2]);
    expect(recent?.exact).toBe(true);
    expect(recent?.jobs.map((j) => j.jobIdRaw)).toEqual([1, 2]);
    const oldNodes = asOf.nodes('alpha', ids[0]);
    expect(oldNodes).toMatchObject({ exact: false, nodes: [{ name: 'gpu-01', state: 'MIXED', flags: [], gpusAlloc: 0, gpusTotal: 8 }] });
    const laterNodes = asOf.nodes('alpha', ids[1]);
    expect(laterNodes).toMatchObject({ exact: false, nodes: [{ gpusAlloc: 1 }] });
    store.close();
  });

  it('answers partitions as of any snapshot exactly, storing only changes', () => {
    const store = storeWith(tempDir(), ['alpha']);
    const writer = new SnapshotWriter(store);
    const a = writer.write({ cluster: 'alpha', startedAt: T0, finishedAt: T0, partitions: [partition('gpu'), partition('cpu')] });
    const b = writer.write({ cluster: 'alpha', startedAt: T0 + 60, finishedAt: T0 + 60, partitions: [partition('gpu'), partition('cpu')] });
    const c = writer.write({ cluster: 'alpha', startedAt: T0 + 120, finishedAt: T0 + 120, partitions: [partition('gpu', { state: 'DOWN' })] });
    expect(count(store.db, 'SELECT count(*) AS n FROM partition_spans')).toBe(3);
    const asOf = new AsOf(store.db);
    expect(asOf.partitions('alpha', b.id)?.partitions.map((p) => [p.name, p.state])).toEqual([['cpu', 'UP'], ['gpu', 'UP']]);
    expect(asOf.partitions('alpha', c.id)?.partitions.map((p) => [p.name, p.state])).toEqual([['gpu', 'DOWN']]);
    expect(asOf.partitions('alpha', a.id - 1)).toBeNull();
    store.close();
  });

  it('keeps clusters apart', () => {
    const store = storeWith(tempDir(), ['alpha', 'beta']);
    const writer = new SnapshotWriter(store);
    writer.write({ cluster: 'alpha', startedAt: T0, finishedAt: T0, queue: [job(1)], nodes: [gpuNode('a-01')] });
    writer.write({ cluster: 'beta', startedAt: T0, finishedAt: T0, queue: [job(1, { user: 'bob' }), job(2)], nodes: [gpuNode('b-01')] });
    const asOf = new AsOf(store.db);
    expect(asOf.queue('alpha')?.jobs.map((j) => j.user)).toEqual(['alice']);
    expect(asOf.queue('beta')?.jobs).toHaveLength(2);
    expect(new SnapshotsRepo(store.db).latestPerCluster().map((s) => s.cluster)).toEqual(['alpha', 'beta']);
    store.close();
  });
});
