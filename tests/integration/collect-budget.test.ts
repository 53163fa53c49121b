// What a collection costs the clusters: slurmctld RPCs per default cycle (counted by sdiag's per-user
// statistics, read as root around the cycle) and an incremental accounting sync's window. The full
// refresh's time against its slowest command is a ratio printed by bench/collect.bench.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULES } from '../../electron/core/runtime/poller';
import { ACCOUNTING_OVERLAP_S, ClusterSync } from '../../electron/core/runtime/cluster-sync';
import { ConnectionPool } from '../../electron/core/ssh/pool';
import { ClustersRepo } from '../../electron/core/store/clusters-repo';
import { openStore, type Store } from '../../electron/core/store/db';
import { RunsRepo } from '../../electron/core/store/runs-repo';
import { sdiagCommand, type SlurmCommand } from '../../shared/slurm/commands';
import { parseSdiag } from '../../shared/slurm/parse/sdiag';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testbedCluster, testbedVerifier, KNOWN_HOSTS } from './ssh-helpers';
import { CLUSTERS, connect, readCluster, type Connection } from './testbed';

async function rpcCount(root: Connection, user: string): Promise<number> {
  const cmd: SlurmCommand = sdiagCommand();
  const r = await root.run(cmd.argv);
  if (r.code !== 0) throw new Error(`sdiag: ${r.stderr}`);
  return parseSdiag(r.stdout).rpcByUser.find((u) => u.user === user)?.count ?? 0;
}

describe.each(CLUSTERS)('collection cost on %s', (name) => {
  let store: Store;
  let pool: ConnectionPool;
  let sync: ClusterSync;
  let root: Connection;

  beforeAll(async () => {
    store = openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'clusterops-budget-')) });
    new ClustersRepo(store.db).save(testbedCluster(name, 'opsuser', { knownHostsFiles: [KNOWN_HOSTS] }), Math.floor(Date.now() / 1000));
    pool = new ConnectionPool({ verifier: testbedVerifier(), autoReconnect: false });
    sync = new ClusterSync(store, pool);
    root = await connect(readCluster(name), 'root');
    // Probe once (and open the connection) so the measured cycles are steady-state ones.
    await sync.capabilities(testbedCluster(name));
  });
  afterAll(async () => {
    root?.close();
    await pool?.closeAll();
    store?.close();
  });

  it('a default poll cycle costs at most 4 slurmctld RPCs', async () => {
    const before = await rpcCount(root, 'opsuser');
    const result = await sync.sync(name, { kinds: SCHEDULES.queue });
    expect(result.errors).toEqual([]);
    const after = await rpcCount(root, 'opsuser');
    const rpcs = after - before;
    console.log(`[budget] ${name}: default cycle (${SCHEDULES.queue.join(', ')}) = ${rpcs} slurmctld RPCs`);
    expect(rpcs).toBeGreaterThan(0);
    expect(rpcs).toBeLessThanOrEqual(4);
  });

  it('an incremental accounting sync asks only for the window since the last one', async () => {
    const first = await sync.sync(name, { kinds: ['accounting'], initialAccountingDays: 30 });
    expect(first.errors).toEqual([]);
    const firstRows = first.snapshots.reduce((a, s) => a + (s.rows.accounting ?? 0), 0);
    const id = new ClustersRepo(store.db).idOf(name);
    const watermark = new RunsRepo(store.db).watermark(id).windowUntil as number;
    const second = await sync.sync(name, { kinds: ['accounting'] });
    expect(second.errors).toEqual([]);
    expect(second.snapshots).toHaveLength(1);
    const secondRows = second.snapshots[0]?.rows.accounting ?? 0;
    // Every run the second sync stored was active after the previous window's end (minus the overlap):
    // nothing that had already finished was fetched again.
    const since = watermark - ACCOUNTING_OVERLAP_S;
    const refetched = new RunsRepo(store.db).inWindow(id, 0, Number.MAX_SAFE_INTEGER).filter((r) => r.endTime !== null && r.endTime < since);
    // Runs (not jobs: a requeued job has several) that were active at or after `since`.
    const activeSince = new RunsRepo(store.db).inWindow(id, since, Number.MAX_SAFE_INTEGER).length;
    console.log(`[budget] ${name}: first accounting sync ${firstRows} runs (${first.snapshots.length} windows); incremental ${secondRows} runs, all active since ${new Date(since * 1000).toISOString()}`);
    expect(firstRows).toBeGreaterThan(0);
    expect(secondRows).toBeLessThanOrEqual(activeSince);
    expect(refetched.length).toBeGreaterThan(0); // history exists that the incremental sync did not ask for
  });
});
