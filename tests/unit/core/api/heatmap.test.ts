// heatmap.range / heatmap.cell / heatmap.now on a real store filled by the snapshot writer: cells agree
// with the store's own (slow, object-per-sample) timeline reader, the tooltip finds the reason, who set
// it and the jobs running on the node, time travel and filters apply, bad requests are typed errors.
import { describe, expect, it } from 'vitest';
import { classifyStateKey, cellCode, CELL_DRAINED, CELL_DOWN, CELL_NONE, CELL_SHARE_BASE } from '../../../../shared/heatmap/cell-code';
import { createCore } from '../../../../electron/core/core';
import { dispatch } from '../../../../electron/core/dispatch';
import { readDays, sampleWords } from '../../../../electron/core/api/heatmap-cells';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import { NodeDay, dayOf } from '../../../../electron/core/store/node-sample-codec';
import { NodeSamplesRepo } from '../../../../electron/core/store/node-samples-repo';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import { openStore, type Store } from '../../../../electron/core/store/db';
import { gpuNode, job, storeWith } from '../store/builders';
import { useTempDirs } from '../store/temp-dir';

const tempDir = useTempDirs();
const T0 = 1_763_000_100; // a bucket boundary + 100 s
const DAY = 86400;

function fill(store: Store): void {
  const w = new SnapshotWriter(store);
  // Two days (crossing UTC midnight) of 5-minute polls on alpha: gpu-02 is drained at T0 + 1 h by root,
  // gpu-03 goes down at T0 + 20 h, cpu-01 has no GPUs.
  for (let t = T0; t <= T0 + 2 * DAY; t += 300) {
    const step = (t - T0) / 300;
    const drained = t >= T0 + 3600;
    const nodes = [
      gpuNode('gpu-01', { gpus: [{ type: 'a100', total: 8, used: step % 9, usedIndices: Array.from({ length: step % 9 }, (_, i) => i) }] }),
      gpuNode('gpu-02', drained ? { state: 'IDLE', flags: ['DRAIN'], reason: 'xid 79: GPU fell off the bus', reasonUser: 'root', gpus: [{ type: 'a100', total: 8, used: 0, usedIndices: [] }] } : {}),
      gpuNode('gpu-03', t >= T0 + 20 * 3600 ? { state: 'DOWN', flags: ['NOT_RESPONDING'], reason: 'Not responding', reasonUser: 'slurm', partitions: ['gpu', 'debug'] } : { partitions: ['gpu', 'debug'] }),
      gpuNode('cpu-01', { partitions: ['cpu'], gpus: [] }),
    ];
    const queue = [job(100, { nodesExpr: 'gpu-01', nodes: ['gpu-01'], numNodes: 1 }), job(101, { nodesExpr: 'gpu-[01,03]', nodes: ['gpu-01', 'gpu-03'], user: 'bob' })];
    w.write({ cluster: 'alpha', startedAt: t - 5, finishedAt: t, nodes, queue });
  }
  w.write({ cluster: 'beta', startedAt: T0, finishedAt: T0, nodes: [gpuNode('dgx-01', { gpus: [{ type: 'h100', total: 4, used: 4, usedIndices: [0, 1, 2, 3] }] })] });
}

function bytes(cells: string | Uint8Array): Uint8Array {
  return typeof cells === 'string' ? new Uint8Array(Buffer.from(cells, 'base64')) : cells;
}

describe('heatmap methods', () => {
  it('reads the cells of a range straight from the sample blobs, equal to the store timeline', async () => {
    const store = storeWith(tempDir(), ['alpha', 'beta']);
    fill(store);
    const core = createCore({ host: 'web', store, source: 'live' });
    const r = await dispatch(core.api, 'heatmap.range', { cluster: 'alpha', seconds: 2 * DAY + 7200 });
    const range = r as Awaited<ReturnType<(typeof core.api)['heatmap.range']>>;
    expect(range.end).toBe(T0 + 2 * DAY); // the newest nodes snapshot, not the wall clock
    expect(range.nodes.map((n) => n.name)).toEqual(['gpu-01', 'gpu-02', 'gpu-03']);
    expect(range.cpuOnlyNodes).toBe(1);
    expect(range.nodes[1]).toMatchObject({ partitions: ['gpu'], gpuTotal: 8, gpuType: 'a100', state: 'drained' });
    expect(range.nodes[2]?.state).toBe('down*');
    const cells = bytes(range.cells);
    expect(cells.length).toBe(3 * range.buckets);
    const clusterId = new ClustersRepo(store.db).idOf('alpha');
    const t = new NodeSamplesRepo(store.db).timeline(clusterId, range.start, range.start + range.buckets * 300);
    let compared = 0;
    range.nodes.forEach((n, i) => {
      const tr = t.nodes.indexOf(n.name);
      for (let b = 0; b < range.buckets; b++) {
        const k = tr * t.buckets + b;
        const code = t.state[k] as number;
        const want = code === 0 ? CELL_NONE : cellCode(classifyStateKey(t.states[code] as string), t.gpusAlloc[k] as number, t.gpusTotal[k] as number);
        expect(cells[i * range.buckets + b]).toBe(want);
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(1700);
    expect(range.start).toBeLessThan(T0 - 3600);
    const bucketOf = (at: number) => Math.floor(at / 300) - range.start / 300;
    expect(cells[1 * range.buckets + bucketOf(T0 + 7200)]).toBe(CELL_DRAINED);
    expect(cells[2 * range.buckets + bucketOf(T0 + 21 * 3600)]).toBe(CELL_DOWN);
    expect(cells[0 * range.buckets + bucketOf(T0 + 4 * 300)]).toBe(CELL_SHARE_BASE + 50); // 4 of 8
    expect(cells[0 * range.buckets + bucketOf(T0 - 3600)]).toBe(CELL_NONE); // before the first poll
    store.close();
  });

  it('time travel ends the range at `at` and takes node metadata from the snapshot then', async () => {
    const store = storeWith(tempDir(), ['alpha', 'beta']);
    fill(store);
    const core = createCore({ host: 'web', store, source: 'live' });
    const r = await core.api['heatmap.range']({ cluster: 'alpha', seconds: 3600, at: T0 + 1800 });
    expect(r.end).toBe(T0 + 1800);
    expect(r.buckets).toBe(13);
    expect(r.nodes.find((n) => n.name === 'gpu-02')?.state).toBe('mixed');
    const cells = bytes(r.cells);
    expect(cells[r.buckets - 1]).not.toBe(CELL_NONE);
    store.close();
  });

  it('filters by partition and spans every cluster when none is given', async () => {
    const store = storeWith(tempDir(), ['alpha', 'beta']);
    fill(store);
    const core = createCore({ host: 'web', store, source: 'live' });
    const debug = await core.api['heatmap.range']({ partition: 'debug', seconds: 3600 });
    expect(debug.nodes.map((n) => n.name)).toEqual(['gpu-03']);
    const all = await core.api['heatmap.range']({ seconds: 3600 });
    expect(all.clusters.map((c) => c.name)).toEqual(['alpha', 'beta']);
    expect(all.nodes.map((n) => `${all.clusters[n.cluster]?.name}/${n.name}`)).toEqual(['alpha/gpu-01', 'alpha/gpu-02', 'alpha/gpu-03', 'beta/dgx-01']);
    expect(bytes(all.cells).length).toBe(4 * all.buckets);
    store.close();
  });

  it('heatmap.cell: state, GPUs, reason with who set it, and the jobs on the node at that time', async () => {
    const store = storeWith(tempDir(), [{ name: 'alpha', timeZone: 'Europe/Berlin' }, 'beta']);
    fill(store);
    const core = createCore({ host: 'web', store, source: 'live' });
    const drained = await core.api['heatmap.cell']({ cluster: 'alpha', node: 'gpu-02', at: T0 + 7200 + 30 });
    expect(drained).toMatchObject({ sampled: true, stateKey: 'IDLE+DRAIN', state: 'drained', gpusAlloc: 0, gpusTotal: 8, reason: 'xid 79: GPU fell off the bus', reasonUser: 'root', timeZone: 'Europe/Berlin' });
    expect(drained.bucketStart % 300).toBe(0);
    const busy = await core.api['heatmap.cell']({ cluster: 'alpha', node: 'gpu-01', at: T0 + 600 });
    expect(busy.jobs.map((j) => [j.jobId, j.user, j.gpus])).toEqual([['100', 'alice', 4], ['101', 'bob', 4]]);
    expect(busy.reason).toBeNull();
    // The newest queue snapshot still has its full rows (jobs_current), older ones only job_spans: both agree.
    const latest = await core.api['heatmap.cell']({ cluster: 'alpha', node: 'gpu-03', at: T0 + 2 * DAY });
    expect(latest.jobs.map((j) => j.jobId)).toEqual(['101']);
    expect(latest).toMatchObject({ state: 'down*', reason: 'Not responding', reasonUser: 'slurm', jobsAt: T0 + 2 * DAY });
    const before = await core.api['heatmap.cell']({ cluster: 'alpha', node: 'gpu-01', at: T0 - 3600 });
    expect(before).toMatchObject({ sampled: false, jobs: [], jobsAt: null });
    await expect(dispatch(core.api, 'heatmap.cell', { cluster: 'nope', node: 'x', at: T0 })).rejects.toThrow(/no cluster named "nope"/);
    await expect(dispatch(core.api, 'heatmap.range', { seconds: 60 })).rejects.toThrow(/seconds/);
    store.close();
  });

  it('heatmap.now: GPU nodes with the indices in use, and whether they can take work', async () => {
    const store = storeWith(tempDir(), ['alpha', 'beta']);
    fill(store);
    const core = createCore({ host: 'web', store, source: 'live' });
    const now = await dispatch(core.api, 'heatmap.now', { cluster: 'beta' });
    expect(now).toEqual({
      clusters: [{ name: 'beta', timeZone: null, nodesAt: T0 }],
      nodes: [{ cluster: 0, name: 'dgx-01', state: 'mixed', canTakeWork: true, gpus: [{ type: 'h100', total: 4, used: 4, usedIndices: [0, 1, 2, 3] }] }],
    });
    const alpha = await core.api['heatmap.now']({ cluster: 'alpha' });
    expect(alpha.nodes.map((n) => [n.name, n.canTakeWork])).toEqual([['gpu-01', true], ['gpu-02', false], ['gpu-03', false]]);
    store.close();
  });
});

describe('decoded days kept between range reads', () => {
  const lastCell = async (core: ReturnType<typeof createCore>, node: number) => {
    const r = await core.api['heatmap.range']({ cluster: 'alpha', seconds: 3600 });
    return { r, cell: bytes(r.cells)[node * r.buckets + r.buckets - 1] };
  };

  it('a new snapshot rewriting a bucket already read shows in the next read', async () => {
    const store = storeWith(tempDir(), ['alpha', 'beta']);
    fill(store);
    const core = createCore({ host: 'web', store, source: 'live' });
    expect((await lastCell(core, 0)).cell).not.toBe(CELL_DOWN);
    // Same five-minute bucket as the last poll: the row of that day is rewritten in place.
    new SnapshotWriter(store).write({ cluster: 'alpha', startedAt: T0 + 2 * DAY + 5, finishedAt: T0 + 2 * DAY + 10, nodes: [gpuNode('gpu-01', { state: 'DOWN', flags: ['NOT_RESPONDING'] }), gpuNode('gpu-02'), gpuNode('gpu-03'), gpuNode('cpu-01', { partitions: ['cpu'], gpus: [] })] });
    const after = await lastCell(core, 0);
    expect(after.r.end).toBe(T0 + 2 * DAY + 10);
    expect(after.cell).toBe(CELL_DOWN);
    // Rows deleted on this connection (retention) are gone from the next read too.
    store.db.prepare('DELETE FROM node_samples WHERE day = ?').run(dayOf(T0 + 2 * DAY));
    expect((await lastCell(core, 0)).cell).toBe(CELL_NONE);
    store.close();
  });

  it("another connection's commit (the CLI's sync on the same data directory) drops what was kept", async () => {
    const dir = tempDir();
    const store = storeWith(dir, ['alpha', 'beta']);
    fill(store);
    const core = createCore({ host: 'web', store, source: 'live' });
    expect((await lastCell(core, 2)).cell).toBe(CELL_DOWN);
    const other = openStore({ dataDir: dir });
    new SnapshotWriter(other).write({ cluster: 'alpha', startedAt: T0 + 2 * DAY + 5, finishedAt: T0 + 2 * DAY + 10, nodes: [gpuNode('gpu-01'), gpuNode('gpu-02'), gpuNode('gpu-03', { partitions: ['gpu', 'debug'] }), gpuNode('cpu-01', { partitions: ['cpu'], gpus: [] })] });
    other.close();
    expect((await lastCell(core, 2)).cell).toBe(cellCode('service', 4, 8));
    store.close();
  });

  it('a read-only store (an opened file, the example) keeps days too, and drops them when another connection commits', async () => {
    const dir = tempDir();
    const writer = storeWith(dir, ['alpha', 'beta']);
    fill(writer);
    const store = openStore({ dataDir: dir, readonly: true });
    const core = createCore({ host: 'web', store, source: 'file' });
    expect((await lastCell(core, 2)).cell).toBe(CELL_DOWN);
    expect((await lastCell(core, 2)).cell).toBe(CELL_DOWN); // from the kept days
    new SnapshotWriter(writer).write({ cluster: 'alpha', startedAt: T0 + 2 * DAY + 5, finishedAt: T0 + 2 * DAY + 10, nodes: [gpuNode('gpu-01'), gpuNode('gpu-02'), gpuNode('gpu-03', { partitions: ['gpu', 'debug'] }), gpuNode('cpu-01', { partitions: ['cpu'], gpus: [] })] });
    expect((await lastCell(core, 2)).cell).toBe(cellCode('service', 4, 8));
    store.close();
    writer.close();
  });

  it('keeps nothing read inside a transaction, which may still roll back', () => {
    const store = storeWith(tempDir(), ['alpha', 'beta']);
    fill(store);
    const clusterId = new ClustersRepo(store.db).idOf('alpha');
    const day = dayOf(T0);
    const before = readDays(store.db, clusterId, day, day)[0]!;
    expect(readDays(store.db, clusterId, day, day)[0]).toBe(before); // kept
    expect(() =>
      store.db.transaction(() => {
        store.db.prepare('DELETE FROM node_samples WHERE day = ?').run(day);
        expect(readDays(store.db, clusterId, day, day)[0]?.names).toEqual([]);
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    const again = readDays(store.db, clusterId, day, day)[0]!;
    expect(again.names.sort()).toEqual(before.names.sort());
    expect(again.cells).toEqual(before.cells);
    store.close();
  });
});

describe('sampleWords', () => {
  it('reads a blob at an odd byte offset through an aligned copy, and one at an even offset in place', () => {
    const nd = new NodeDay();
    nd.set(0, { state: 3, gpusAlloc: 2, gpusTotal: 8, reasonId: 0 });
    nd.set(287, { state: 0x1234, gpusAlloc: 0xffff, gpusTotal: 513, reasonId: 0 });
    const backing = new Uint8Array(nd.bytes.length + 1);
    backing.set(nd.bytes, 1);
    const odd = backing.subarray(1);
    const scratch = new Uint16Array(288 * 4);
    for (const blob of [odd, new Uint8Array(nd.bytes)]) {
      const w = sampleWords(blob, scratch);
      expect(w.length).toBe(288 * 4);
      expect([...w.subarray(0, 3)]).toEqual([3, 2, 8]);
      expect([...w.subarray(287 * 4, 287 * 4 + 3)]).toEqual([0x1234, 0xffff, 513]);
    }
    expect(sampleWords(odd, scratch).buffer).toBe(scratch.buffer);
    expect(sampleWords(new Uint8Array(10), scratch).length).toBe(5); // short blob: only what is there
  });
});
