// Node history size and write cost (issue 3: 30 days of 5-minute samples for 1,000 nodes under 200 MB).
// 1. Size: 30 days × 1,000 nodes written as whole day rows (every bucket filled and changing, which for a
//    fixed-size row is also the worst case), file size measured after a checkpoint.
// 2. Cost of the real path: a day of 5-minute ticks, each `record()`ing 1,000 nodes as a nodes snapshot
//    does (read the day's rows, set one bucket, write the rows that changed), on top of the 30 days.
//
//   npm run bench -- node-samples
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SlurmNode } from '../shared/model/node';
import { ClustersRepo } from '../electron/core/store/clusters-repo';
import { openStore } from '../electron/core/store/db';
import { BUCKET_SECONDS, BUCKETS_PER_DAY, NodeDay } from '../electron/core/store/node-sample-codec';
import { NodeSamplesRepo } from '../electron/core/store/node-samples-repo';
import { buildCluster } from './generate/cluster';
import { Random } from './generate/random';

const DAYS = 30;
const FIRST_DAY = 20_400; // 2025-11-08
const dir = mkdtempSync(path.join(tmpdir(), 'clusterops-samples-bench-'));
try {
  const store = openStore({ dataDir: dir });
  const cid = new ClustersRepo(store.db).save({ name: 'bench', host: 'bench.invalid', port: 22, user: 'ops', auth: { kind: 'agent' }, jump: [], knownHostsFiles: [], poll: { queue: 60, accounting: 300, fairshare: 900 }, enabled: true }, 0);
  const repo = new NodeSamplesRepo(store.db);
  const cluster = buildCluster(42);
  const rnd = new Random(9);
  const states = ['MIXED', 'ALLOCATED', 'IDLE', 'IDLE+DRAIN', 'MIXED+DRAIN', 'DOWN+NOT_RESPONDING', 'IDLE+RESERVED'].map((k) => repo.stateCode(k));
  const reasons = Array.from({ length: 300 }, (_, i) => repo.reasonId(`NHC: GPU ${i % 8} XID ${[48, 63, 79, 94][i % 4]} (ticket ${4000 + i})`, 'root'));

  let t = performance.now();
  store.db.transaction(() => {
    for (const node of cluster.nodes) {
      const id = repo.nodeId(cid, node.name);
      for (let d = 0; d < DAYS; d++) {
        const nd = new NodeDay();
        let state = states[0] as number;
        let reason = 0;
        let alloc = 0;
        for (let b = 0; b < BUCKETS_PER_DAY; b++) {
          if (rnd.chance(0.05)) alloc = rnd.int(0, node.gpus);
          if (rnd.chance(0.002)) {
            state = states[rnd.int(3, 6)] as number;
            reason = reasons[rnd.int(0, reasons.length - 1)] as number;
          } else if (reason !== 0 && rnd.chance(0.01)) {
            state = states[0] as number;
            reason = 0;
          }
          nd.set(b, { state, gpusAlloc: alloc, gpusTotal: node.gpus, reasonId: reason });
        }
        repo.putDay(id, FIRST_DAY + d, nd);
      }
    }
  })();
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const fillSeconds = (performance.now() - t) / 1000;
  const bytes = statSync(store.path).size;
  console.log(`${DAYS} days x ${cluster.nodes.length} nodes x ${BUCKETS_PER_DAY} samples: ${(bytes / 1e6).toFixed(1)} MB on disk (target < 200 MB) ${bytes < 200e6 ? 'ok' : 'OVER'}; written in ${fillSeconds.toFixed(1)} s`);

  // The real path: one nodes snapshot per 5 minutes for a day, each in its own transaction.
  const nodes: SlurmNode[] = cluster.nodes.map((n) => ({
    name: n.name, state: 'MIXED', flags: [], reason: null, reasonUser: null, reasonTime: null, partitions: n.partitions,
    cpus: { total: n.cpus, allocated: 0 }, memoryMiB: { total: n.memMiB, allocated: 0 }, gpus: n.gpus ? [{ type: n.gpuType, total: n.gpus, used: 0, usedIndices: null }] : [],
    features: [], otherGres: null,
  }));
  const day = FIRST_DAY + DAYS;
  const ticks: number[] = [];
  for (let b = 0; b < BUCKETS_PER_DAY; b++) {
    for (const n of nodes) {
      const g = n.gpus[0];
      if (g && rnd.chance(0.1)) g.used = rnd.int(0, g.total);
      if (rnd.chance(0.0005)) Object.assign(n, { state: 'IDLE', flags: ['DRAIN'], reason: 'Kill task failed', reasonUser: 'slurm' });
    }
    t = performance.now();
    store.db.transaction(() => repo.record(cid, day * 86400 + b * BUCKET_SECONDS + 17, nodes))();
    ticks.push(performance.now() - t);
  }
  ticks.sort((a, b) => a - b);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const after = statSync(store.path).size;
  console.log(`record() of 1,000 nodes per 5-minute tick: median ${(ticks[ticks.length >> 1] as number).toFixed(1)} ms, p95 ${(ticks[Math.floor(ticks.length * 0.95)] as number).toFixed(1)} ms; one more day through it: +${((after - bytes) / 1e6).toFixed(1)} MB`);
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
