// Faults during collection, for real: the SSH session killed at random points of a cycle (20 times), the
// controller stopped, slurmdbd stopped. The store must never hold a half-written or mixed snapshot, the
// cached data stays readable, and collection recovers by itself.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CycleAborted } from '../../electron/core/collect/cycle';
import { ClusterSync } from '../../electron/core/runtime/cluster-sync';
import { ConnectionPool } from '../../electron/core/ssh/pool';
import { ClustersRepo } from '../../electron/core/store/clusters-repo';
import { openStore, type Store } from '../../electron/core/store/db';
import { NodesRepo } from '../../electron/core/store/nodes-repo';
import { SnapshotsRepo } from '../../electron/core/store/snapshots-repo';
import { KNOWN_HOSTS, sshdProcessesFor, testbedCluster, testbedVerifier, waitForState } from './ssh-helpers';
import { STATE, readCluster } from './testbed';

const ALL = ['nodes', 'partitions', 'queue', 'accounting', 'fairshare', 'priority', 'reservations', 'controller'] as const;

function setup(name: 'alpha' | 'beta') {
  const store = openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'clusterops-faults-')) });
  new ClustersRepo(store.db).save(testbedCluster(name, 'opsuser', { knownHostsFiles: [KNOWN_HOSTS] }), Math.floor(Date.now() / 1000));
  // Reconnect quickly so 20 rounds fit in the test's time.
  const pool = new ConnectionPool({ verifier: testbedVerifier(), autoReconnect: true, backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.2 } as never });
  return { store, pool, sync: new ClusterSync(store, pool) };
}

/** Every snapshot in the store is whole: nodes snapshots hold every node, none is left without kinds. */
function assertNoPartialSnapshot(store: Store, name: 'alpha' | 'beta'): void {
  const id = new ClustersRepo(store.db).idOf(name);
  const snaps = new SnapshotsRepo(store.db).list(id, { limit: 1000 });
  const expectedNodes = readCluster(name).nodes.length;
  for (const s of snaps) {
    expect(s.kinds.length, `snapshot ${s.id} has kinds`).toBeGreaterThan(0);
    if (s.kinds.includes('nodes') && new SnapshotsRepo(store.db).isFull(s.id, 'nodes')) {
      expect(new NodesRepo(store.db).current(s.id)).toHaveLength(expectedNodes);
    }
    // A connection failure never leaves a snapshot behind: only Slurm-side failures may be recorded.
    for (const e of s.errors) expect(e.message).not.toMatch(/connection|channel|closed|lost/i);
  }
}

describe.each(['alpha', 'beta'] as const)('SSH session killed mid-collection (%s)', (name) => {
  let env: ReturnType<typeof setup>;
  beforeAll(async () => {
    env = setup(name);
    const first = await env.sync.sync(name, { kinds: [...ALL], initialAccountingDays: 1 });
    expect(first.errors).toEqual([]);
  });
  afterAll(async () => {
    await env.pool.closeAll();
    env.store.close();
  });

  it('20 kills at random points: previous snapshot intact, no partial snapshot, the next cycle reconnects', async () => {
    const port = readCluster(name).sshPort;
    let aborted = 0;
    let completed = 0;
    for (let round = 0; round < 20; round++) {
      const conn = env.pool.get(env.sync.config(name));
      await waitForState(conn, (s) => s.state === 'ready' || s.state === 'idle', 20_000);
      const before = new SnapshotsRepo(env.store.db).latest(new ClustersRepo(env.store.db).idOf(name));
      // The outcome handler is attached at once: the cycle may fail while we are still waiting to kill.
      const outcome = env.sync.sync(name, { kinds: ['nodes', 'partitions', 'queue', 'fairshare', 'priority', 'reservations', 'controller'] }).then(
        () => 'completed' as const,
        (err: unknown) => {
          if (!(err instanceof CycleAborted) && !/offline|closed|lost|connect/i.test(String((err as Error).message))) throw err;
          return 'aborted' as const;
        },
      );
      // Kill our session's sshd process after a random 0–80 ms.
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 80)));
      const local = conn.localPort();
      if (local !== null) {
        for (const p of sshdProcessesFor(port, local)) {
          try {
            process.kill(p.pid, 'SIGKILL');
          } catch {
            // Already gone: killing one sshd process of the session ends its privilege-separated twin.
          }
        }
      }
      if ((await outcome) === 'aborted') {
        aborted++;
        const after = new SnapshotsRepo(env.store.db).latest(new ClustersRepo(env.store.db).idOf(name));
        expect(after?.id, 'no new snapshot after an abandoned cycle').toBe(before?.id);
      } else completed++;
      assertNoPartialSnapshot(env.store, name);
    }
    console.log(`[faults] ${name}: 20 kills, ${aborted} cycles abandoned, ${completed} had finished before the kill`);
    expect(aborted).toBeGreaterThan(0);
    // And collection works again afterwards.
    const conn = env.pool.get(env.sync.config(name));
    await waitForState(conn, (s) => s.state === 'ready' || s.state === 'idle', 30_000).catch(() => undefined);
    const again = await env.sync.sync(name, { kinds: ['nodes', 'queue'] });
    expect(again.errors).toEqual([]);
    expect(again.snapshots).toHaveLength(1);
    expect(integrity(env.store)).toBe('ok');
  }, 300_000);
});

function integrity(store: Store): string {
  return store.db.pragma('integrity_check', { simple: true }) as string;
}

/** Stop a test-bed daemon by its pid file ("<pid> <starttime>"), exactly that process. */
function stopDaemon(cluster: string, daemon: string): void {
  const [pid] = readFileSync(path.join(STATE, cluster, 'pids', `${daemon}.pid`), 'utf8').trim().split(/\s+/);
  execFileSync('kill', ['-TERM', String(pid)]);
}

function bringBack(cluster: string): void {
  execFileSync('bash', [path.resolve(import.meta.dirname, '../testbed/up.sh'), cluster], { stdio: 'inherit', timeout: 120_000 });
}

describe.each(['alpha', 'beta'] as const)('daemons stopped on %s', (name) => {
  let env: ReturnType<typeof setup>;
  beforeAll(async () => {
    env = setup(name);
    const first = await env.sync.sync(name, { kinds: [...ALL], initialAccountingDays: 1 });
    expect(first.errors).toEqual([]);
  });
  afterAll(async () => {
    bringBack(name);
    await env.pool.closeAll();
    env.store.close();
  });

  it('slurmdbd stopped: queue and nodes still update, accounting reports slurmdbd', async () => {
    stopDaemon(name, 'slurmdbd');
    try {
      const r = await env.sync.sync(name, { kinds: ['nodes', 'queue', 'accounting'] });
      expect(r.snapshots.length).toBeGreaterThan(0);
      const last = r.snapshots.at(-1);
      expect(last?.kinds).toEqual(expect.arrayContaining(['nodes', 'queue']));
      expect(r.errors.map((e) => e.kind)).toEqual(['accounting']);
      console.log(`[faults] ${name}: slurmdbd down -> accounting: ${r.errors[0]?.message}`);
      expect(r.errors[0]?.message).toMatch(/sacct/);
    } finally {
      bringBack(name);
    }
    const ok = await env.sync.sync(name, { kinds: ['accounting'] });
    expect(ok.errors).toEqual([]);
  }, 240_000);

  it('slurmctld stopped: controller unreachable with Slurm\'s message, cached data kept, recovery after restart', async () => {
    const id = new ClustersRepo(env.store.db).idOf(name);
    const before = new SnapshotsRepo(env.store.db).latest(id, 'nodes');
    stopDaemon(name, 'slurmctld');
    try {
      const r = await env.sync.sync(name, { kinds: ['nodes', 'queue'] });
      expect(r.snapshots).toHaveLength(0);
      expect(r.errors.map((e) => e.kind).sort()).toEqual(['nodes', 'queue']);
      console.log(`[faults] ${name}: slurmctld down -> ${r.errors[0]?.message}`);
      expect(r.errors[0]?.message).toMatch(/Unable to contact slurm controller|Connection refused|Connection reset|Socket timed out/i);
      expect(new SnapshotsRepo(env.store.db).latest(id, 'nodes')?.id).toBe(before?.id);
      expect(new NodesRepo(env.store.db).current(before?.id as number)).toHaveLength(readCluster(name).nodes.length);
    } finally {
      bringBack(name);
    }
    const ok = await env.sync.sync(name, { kinds: ['nodes', 'queue'] });
    expect(ok.errors).toEqual([]);
    expect(ok.snapshots).toHaveLength(1);
  }, 300_000);
});
