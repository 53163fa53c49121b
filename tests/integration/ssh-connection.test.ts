// The SSH layer against the real test-bed sshds (OpenSSH 9.2 on alpha, 10.0 in beta's chroot): one kept
// connection per cluster, states, host keys from the generated known_hosts, and the channel cap holding
// under 20 concurrent commands, measured from the server's own clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterConnection, ConnectionStatus } from '../../electron/core/ssh/connection';
import { CLUSTERS, readCluster } from './testbed';
import { testbedCluster, testbedConnection } from './ssh-helpers';

describe.each(CLUSTERS)('ClusterConnection to test-bed cluster %s', (name) => {
  let conn: ClusterConnection;
  const states: ConnectionStatus[] = [];

  beforeAll(() => {
    conn = testbedConnection(testbedCluster(name), { maxChannels: 6 });
    conn.onState((s) => states.push(s));
  });
  afterAll(() => conn?.close());

  it('connects on first use, trusting the host key from the test bed known_hosts', async () => {
    const res = await conn.exec(['sinfo', '--version']);
    expect(res.code, res.stderr).toBe(0);
    // Debian's build says "slurm-wlm", upstream "slurm".
    expect(res.stdout.trim()).toMatch(new RegExp(`^slurm(-wlm)? ${readCluster(name).slurmVersion.replace(/\./g, '\\.')}$`));
    expect(states.map((s) => s.state)).toEqual(['connecting', 'ready']);
    expect(conn.hostKeyTrust()).toEqual([expect.objectContaining({ via: 'known-hosts', fingerprint: expect.stringMatching(/^SHA256:/) })]);
  });

  it('passes argv through the remote shell untouched', async () => {
    const tricky = ["it's", '$(id)', '`id`', 'a b', '*', '; rm -rf /', '"q"', ''];
    const res = await conn.exec(['printf', '%s\\n', ...tricky]);
    expect(res.stdout).toBe(tricky.map((t) => `${t}\n`).join(''));
  });

  it('runs 20 commands at once on one connection with at most 6 channels open (server-side timestamps)', async () => {
    const script = 'date +%s%N; sleep 0.4; date +%s%N';
    const results = await Promise.all(Array.from({ length: 20 }, () => conn.exec(['sh', '-c', script], { timeoutMs: 60_000 })));
    const spans = results.map((r) => {
      expect(r.code, r.stderr).toBe(0);
      const [start, end] = r.stdout.trim().split('\n').map(BigInt);
      return { start: start as bigint, end: end as bigint };
    });
    // Largest number of commands running at the same instant on the cluster's login node.
    const events = spans.flatMap((s) => [
      { t: s.start, d: 1 },
      { t: s.end, d: -1 },
    ]);
    events.sort((a, b) => (a.t === b.t ? a.d - b.d : a.t < b.t ? -1 : 1));
    let running = 0;
    let peak = 0;
    for (const e of events) peak = Math.max(peak, (running += e.d));
    expect(peak).toBe(6);
    expect(conn.stats()).toMatchObject({ peakChannels: 6, connects: 1, channelRefusals: 0 });
    expect(conn.status().state).toBe('ready');
  });

  it('times out a command, and the connection carries on', async () => {
    const err = await conn.exec(['sleep', '30'], { timeoutMs: 500 }).catch((e: unknown) => e);
    expect((err as Error & { kind?: string }).kind).toBe('timeout');
    expect(conn.status()).toMatchObject({ state: 'degraded', reason: 'command-timeout' });
    expect((await conn.exec(['true'])).code).toBe(0);
    expect(conn.status().state).toBe('ready');
  });

  it('caps output: a command printing more than the cap fails and is cut off', async () => {
    const err = await conn.exec(['head', '-c', '5000000', '/dev/zero'], { maxBytes: 100_000 }).catch((e: unknown) => e);
    expect((err as Error & { kind?: string }).kind).toBe('too-large');
    expect((await conn.exec(['echo', 'still fine'])).stdout).toBe('still fine\n');
  });

  it('closes gracefully', async () => {
    await conn.close();
    expect(conn.status()).toMatchObject({ state: 'closed', reason: 'closed-by-user' });
  });
});
