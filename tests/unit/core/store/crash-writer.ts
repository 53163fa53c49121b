// Child process for the crash test (crash-safety.test.ts): commits a known snapshot, reports it, then
// starts a big write and waits to be killed with SIGKILL in the middle of it.
//   crash-writer.ts <dataDir> snapshot|ingest <round>
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildCluster } from '../../../../bench/generate/cluster';
import { SacctGenerator } from '../../../../bench/generate/sacct';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import { openStore } from '../../../../electron/core/store/db';
import { ingestSacct } from '../../../../electron/core/store/sacct-ingest';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import { clusterConfig, gpuNode, job } from './builders';

const [dataDir, mode, roundText] = process.argv.slice(2) as [string, 'snapshot' | 'ingest', string];
const round = Number(roundText);
const send = (m: unknown) => process.send?.(m);
const T0 = 1_700_000_000 + round * 600;

const store = openStore({ dataDir });
const clusters = new ClustersRepo(store.db);
if (!clusters.get('crash')) clusters.save(clusterConfig('crash'), T0);
const writer = new SnapshotWriter(store);
const nodes = Array.from({ length: 1000 }, (_, i) => gpuNode(`gpu-${String(i).padStart(4, '0')}`));
const queue = (n: number, base: number) => Array.from({ length: n }, (_, i) => job(base + i, { name: `job-${round}-${i}` }));

function sacctFile(rows: number, seed: number): string {
  const gen = new SacctGenerator(buildCluster(5), { rows, now: 1_764_000_000 + round * 86400, jobsPerDay: 50_000, version: '24.11', seed });
  const file = path.join(dataDir, `sacct-${round}-${rows}.txt`);
  writeFileSync(file, `${[gen.header(), ...gen.lines()].join('\n')}\n`);
  return file;
}

async function main(): Promise<void> {
  if (mode === 'snapshot') {
    const committed = writer.write({ cluster: 'crash', startedAt: T0, finishedAt: T0 + 5, nodes, queue: queue(20_000, 1) });
    send({ type: 'committed', id: committed.id, jobs: 20_000, nodes: nodes.length });
    const big = queue(250_000, 1_000_000);
    send({ type: 'writing' });
    writer.write({ cluster: 'crash', startedAt: T0 + 60, finishedAt: T0 + 65, nodes, queue: big });
    send({ type: 'done' });
  } else {
    const small = sacctFile(2000, 1);
    const big = sacctFile(100_000, 2);
    const first = await ingestSacct(store, { cluster: 'crash', input: { file: small }, window: { since: null, until: T0 } });
    send({ type: 'committed', id: first.snapshot.id });
    send({ type: 'writing' });
    await ingestSacct(store, { cluster: 'crash', input: { file: big }, window: { since: T0, until: T0 + 600 }, txRows: 5000 });
    send({ type: 'done' });
  }
}

main().catch((err: unknown) => {
  send({ type: 'error', message: String(err) });
  process.exit(1);
});
