// A login node whose sshd allows only 2 sessions per connection (some sites set MaxSessions low): the
// long-lived sessions would hold more channels than that. A second sshd for alpha with `MaxSessions 2`
// (alpha's own configuration otherwise, same host key) must still give complete refreshes, every time:
// the refused channel lowers the connection's limit, the sessions give their channels back, and the
// commands run on their own channels.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterSync } from '../../electron/core/runtime/cluster-sync';
import { ConnectionPool } from '../../electron/core/ssh/pool';
import { ClustersRepo } from '../../electron/core/store/clusters-repo';
import { openStore, type Store } from '../../electron/core/store/db';
import { knownHostsLineOf, testbedCluster, testbedVerifier } from './ssh-helpers';
import { STATE, eventually, readCluster } from './testbed';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

describe('a login node with MaxSessions 2 (alpha behind a second sshd)', () => {
  let sshd: ChildProcess;
  let store: Store;
  let pool: ConnectionPool;
  let sync: ClusterSync;
  let port: number;
  let config: ReturnType<typeof testbedCluster>;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clusterops-maxsessions-'));
    port = await freePort();
    const original = readFileSync(path.join(STATE, 'alpha', 'sshd', 'sshd_config'), 'utf8');
    const cfg = original
      .replace(/^ListenAddress .*$/m, `ListenAddress 127.0.0.1:${port}`)
      .replace(/^PidFile .*$/m, `PidFile ${path.join(dir, 'sshd.pid')}`)
      .replace(/^MaxSessions .*$/m, 'MaxSessions 2');
    expect(cfg).toContain('MaxSessions 2');
    writeFileSync(path.join(dir, 'sshd_config'), cfg);
    sshd = spawn('/usr/sbin/sshd', ['-D', '-f', path.join(dir, 'sshd_config'), '-E', path.join(dir, 'sshd.log')], { stdio: 'ignore' });
    await eventually(`sshd on ${port}`, 15_000, async () => ((await canConnect(port)) ? true : undefined));
    const knownHosts = path.join(dir, 'known_hosts');
    writeFileSync(knownHosts, `${knownHostsLineOf('alpha').replace(/^\[127\.0\.0\.1\]:\d+ /, `[127.0.0.1]:${port} `)}\n`);
    config = { ...testbedCluster('alpha', 'opsuser', { knownHostsFiles: [knownHosts] }), port };
    store = openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'clusterops-maxsessions-store-')) });
    new ClustersRepo(store.db).save(config, Math.floor(Date.now() / 1000));
    pool = new ConnectionPool({ verifier: testbedVerifier(), autoReconnect: false });
    sync = new ClusterSync(store, pool);
  });

  afterAll(async () => {
    sync?.closeSessions();
    await pool?.closeAll();
    store?.close();
    sshd?.kill('SIGTERM');
  });

  it('every refresh is complete; the connection settles at the server\'s limit', async () => {
    expect(readCluster('alpha').slurmVersion).toMatch(/^22\./);
    const kinds = ['queue', 'nodes', 'partitions', 'reservations', 'fairshare', 'priority', 'controller', 'accounting'] as const;
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      const r = await sync.sync('alpha', { kinds, initialAccountingDays: 1 });
      times.push(performance.now() - t);
      expect(r.errors).toEqual([]);
      expect(r.snapshots.at(-1)?.rows.nodes).toBeGreaterThan(0);
    }
    // The first refresh meets the refusals; the sessions give their channels back at once (without that,
    // measured: 11 s, the plain commands waiting for slots the sessions held).
    expect(times[0]).toBeLessThan(5_000);
    const conn = pool.get(config);
    expect(conn.status().channelLimit).toBeLessThanOrEqual(2);
    expect(conn.stats().channelsInUse).toBeLessThanOrEqual(2);
    console.log(`[maxsessions] 4 full refreshes under MaxSessions 2: ${times.map((t) => t.toFixed(0)).join(', ')} ms; refused channels ${conn.stats().channelRefusals}, limit now ${conn.status().channelLimit}`);
  });
});
