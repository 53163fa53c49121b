import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import { BUCKETS_PER_DAY, DAY_BYTES, NodeDay } from '../../../../electron/core/store/node-sample-codec';
import { NodeSamplesRepo, nodeStateKey } from '../../../../electron/core/store/node-samples-repo';
import { StoreError } from '../../../../electron/core/store/errors';
import { gpuNode, storeWith } from './builders';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const DAY = 20_000; // 2024-10-04 (UTC days since the epoch)
const T = DAY * 86400;

describe('NodeDay codec', () => {
  it('packs 288 samples in a fixed 2,304-byte row and reads them back', () => {
    const nd = new NodeDay();
    expect(nd.bytes.length).toBe(DAY_BYTES);
    expect(DAY_BYTES).toBe(2304);
    expect(nd.set(0, { state: 3, gpusAlloc: 8, gpusTotal: 8, reasonId: 0 })).toBe(true);
    expect(nd.set(0, { state: 3, gpusAlloc: 8, gpusTotal: 8, reasonId: 0 })).toBe(false);
    nd.set(287, { state: 65535, gpusAlloc: 0, gpusTotal: 65535, reasonId: 4_000_000_000 });
    const copy = new NodeDay(nd.bytes, nd.reasonsBlob());
    expect(copy.get(0)).toEqual({ state: 3, gpusAlloc: 8, gpusTotal: 8, reasonId: 0 });
    expect(copy.get(287)).toEqual({ state: 65535, gpusAlloc: 0, gpusTotal: 65535, reasonId: 4_000_000_000 });
    expect(copy.get(100)).toEqual({ state: 0, gpusAlloc: 0, gpusTotal: 0, reasonId: 0 });
  });

  it('refuses what 16 bits cannot hold instead of wrapping it', () => {
    const nd = new NodeDay();
    expect(() => nd.set(1, { state: 1, gpusAlloc: 70_000, gpusTotal: 8, reasonId: 0 })).toThrow(RangeError);
    expect(() => nd.set(288, { state: 1, gpusAlloc: 0, gpusTotal: 8, reasonId: 0 })).toThrow(RangeError);
  });
});

describe('NodeSamplesRepo', () => {
  it('records each nodes snapshot into its 5-minute bucket and reads a timeline back', () => {
    const store = storeWith(tempDir(), ['alpha']);
    const cid = new ClustersRepo(store.db).idOf('alpha');
    const repo = new NodeSamplesRepo(store.db);
    const drained = gpuNode('gpu-02', { state: 'IDLE', flags: ['DRAIN'], reason: 'xid 79', reasonUser: 'root', gpus: [{ type: 'a100', total: 8, used: 0, usedIndices: null }] });
    store.db.transaction(() => {
      repo.record(cid, T + 10, [gpuNode('gpu-01'), drained]);
      repo.record(cid, T + 70, [gpuNode('gpu-01'), drained]); // same bucket, same values: no rewrite needed
      repo.record(cid, T + 300, [gpuNode('gpu-01', { state: 'ALLOCATED', gpus: [{ type: 'a100', total: 8, used: 8, usedIndices: null }] }), drained]);
      repo.record(cid, T + 86400 + 5, [gpuNode('gpu-10')]);
    })();
    const t = repo.timeline(cid, T, T + 86400 + 600);
    expect(t.nodes).toEqual(['gpu-01', 'gpu-02', 'gpu-10']); // natural order
    expect(t.buckets).toBe(BUCKETS_PER_DAY + 2);
    const cell = (node: number, bucket: number) => node * t.buckets + bucket;
    expect(t.states[t.state[cell(0, 0)] as number]).toBe('MIXED');
    expect(t.gpusAlloc[cell(0, 0)]).toBe(4);
    expect(t.states[t.state[cell(0, 1)] as number]).toBe('ALLOCATED');
    expect(t.gpusAlloc[cell(0, 1)]).toBe(8);
    expect(t.state[cell(0, 2)]).toBe(0); // no sample
    expect(t.states[t.state[cell(1, 0)] as number]).toBe('IDLE+DRAIN');
    expect(t.reasons[t.reason[cell(1, 0)] as number]).toEqual({ reason: 'xid 79', user: 'root' });
    expect(t.gpusTotal[cell(2, BUCKETS_PER_DAY)]).toBe(8);
    store.close();
  });

  it('codes states by base state and sorted flags', () => {
    expect(nodeStateKey({ state: 'MIXED', flags: ['NOT_RESPONDING', 'DRAIN', 'DRAIN'] })).toBe('MIXED+DRAIN+NOT_RESPONDING');
  });

  it('names the node when a value does not fit', () => {
    const store = storeWith(tempDir(), ['alpha']);
    const cid = new ClustersRepo(store.db).idOf('alpha');
    const huge = gpuNode('gpu-xl', { gpus: [{ type: 'a100', total: 100_000, used: 0, usedIndices: null }] });
    expect(() => new NodeSamplesRepo(store.db).record(cid, T, [huge])).toThrow(StoreError);
    expect(() => new NodeSamplesRepo(store.db).record(cid, T, [huge])).toThrow(/gpu-xl/);
    store.close();
  });

  it('keeps 30 days of 5-minute samples for 1,000 nodes under 200 MB', { timeout: 60_000 }, () => {
    const store = storeWith(tempDir(), ['big']);
    const cid = new ClustersRepo(store.db).idOf('big');
    const repo = new NodeSamplesRepo(store.db);
    const states = ['MIXED', 'ALLOCATED', 'IDLE', 'IDLE+DRAIN', 'DOWN+NOT_RESPONDING', 'MIXED+DRAIN'].map((k) => repo.stateCode(k));
    const reasons = Array.from({ length: 200 }, (_, i) => repo.reasonId(`NHC: check_gpu ${i} failed`, 'root'));
    store.db.transaction(() => {
      for (let n = 0; n < 1000; n++) {
        const id = repo.nodeId(cid, `gpu-${String(n).padStart(4, '0')}`);
        for (let d = 0; d < 30; d++) {
          // Every bucket filled and changing: the worst case for a fixed-size row is the same as any case.
          const nd = new NodeDay();
          for (let b = 0; b < BUCKETS_PER_DAY; b++) {
            const v = (n * 31 + d * 7 + b) % 97;
            const s = states[v % states.length] as number;
            nd.set(b, { state: s, gpusAlloc: v % 9, gpusTotal: 8, reasonId: v % 6 >= 3 ? (reasons[(n + d + (b >> 4)) % reasons.length] as number) : 0 });
          }
          repo.putDay(id, DAY + d, nd);
        }
      }
    })();
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = statSync(store.path).size;
    expect(store.db.prepare('SELECT count(*) AS n FROM node_samples').get()).toEqual({ n: 30_000 });
    expect(bytes).toBeLessThan(200e6);
    console.log(`node_samples: 30 days x 1,000 nodes = ${(bytes / 1e6).toFixed(1)} MB on disk`);
    store.close();
  });
});
