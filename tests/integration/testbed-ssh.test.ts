// Real ssh2 connections to both test-bed clusters (Slurm 22.05 and 24.11), host keys verified against the
// generated known_hosts, reading sinfo and sacct -D (which shows preempted runs).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTERS, STATE, connect, eventually, readCluster, type ConnectFailure, type Connection, type TestbedCluster } from './testbed';

describe.each(CLUSTERS)('test bed cluster %s over ssh2', (name) => {
  let cluster: TestbedCluster;
  let conn: Connection;

  beforeAll(async () => {
    cluster = readCluster(name);
    conn = await connect(cluster, 'opsuser');
  });
  afterAll(() => conn?.close());

  it('is reached on loopback with a host key from the generated known_hosts', () => {
    expect(cluster.host).toBe('127.0.0.1');
    expect(conn.verdict.status).toBe('trusted');
  });

  it('refuses a host whose key differs from known_hosts, naming both fingerprints', async () => {
    // Pretend this cluster's port is known with the *other* cluster's key: a changed host key.
    const other = CLUSTERS.find((c) => c !== name) as string;
    const otherPort = readCluster(other as typeof name).sshPort;
    const forged = readFileSync(path.join(STATE, 'known_hosts'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith(`[127.0.0.1]:${otherPort} `))
      .map((l) => l.replace(`[127.0.0.1]:${otherPort}`, `[127.0.0.1]:${cluster.sshPort}`))
      .join('\n');
    const err = await connect(cluster, 'opsuser', forged).then(
      (c) => {
        c.close();
        throw new Error('connected although the host key changed');
      },
      (e: unknown) => e as ConnectFailure,
    );
    expect(err.verdict?.status).toBe('changed');
    if (err.verdict?.status !== 'changed') return;
    expect(err.verdict.knownFingerprints[0]).toMatch(/^SHA256:/);
    expect(err.verdict.knownFingerprints[0]).not.toBe(err.verdict.fingerprint);
  });

  it('runs the Slurm version the cluster was built with', async () => {
    const res = await conn.run(['sinfo', '--version']);
    expect(res.code).toBe(0);
    // Debian's build prints `slurm-wlm 24.11.5`; upstream builds print `slurm 24.11.5`.
    expect(res.stdout.trim()).toMatch(/^slurm(-wlm)? \S+$/);
    expect(res.stdout.trim().split(' ')[1]).toBe(cluster.slurmVersion);
    expect(cluster.slurmVersion).toMatch(name === 'alpha' ? /^22\.05\./ : /^24\.11\./);
  });

  it('reads every node with its GPUs from sinfo', async () => {
    const res = await conn.run(['sinfo', '-h', '-N', '-O', 'NodeList:|,StateLong:|,Gres:|,Partition:']);
    expect(res.code, res.stderr).toBe(0);
    const rows = res.stdout.trim().split('\n').map((l) => l.split('|').map((f) => f.trim()));
    const nodes = new Set(rows.map((r) => r[0]));
    for (const node of cluster.nodes) expect(nodes, `node ${node}`).toContain(node);
    const gres = rows.map((r) => r[2] ?? '').join(' ');
    for (const type of cluster.gpuTypes) expect(gres).toContain(`gpu:${type}:`);
  });

  it('shows a PREEMPTED run and the requeued run of the same job in sacct -D', async () => {
    const preempted = await eventually('a PREEMPTED run in sacct -D', 150_000, async () => {
      const res = await conn.run(['sacct', '-a', '-D', '-X', '-P', '-n', '-S', 'now-1days', '-o', 'JobID,State,Partition,QOS']);
      if (res.code !== 0) throw new Error(`sacct failed: ${res.stderr}`);
      const rows = res.stdout.trim().split('\n').map((l) => l.split('|'));
      const victims = rows.filter((r) => r[1] === 'PREEMPTED');
      const withLaterRun = victims.find((v) => rows.filter((r) => r[0] === v[0]).length >= 2);
      return withLaterRun ? { victim: withLaterRun, runs: rows.filter((r) => r[0] === withLaterRun[0]) } : undefined;
    });
    expect(preempted.runs.length).toBeGreaterThanOrEqual(2);
    expect(preempted.runs.map((r) => r[1])).toContain('PREEMPTED');
  });
});
