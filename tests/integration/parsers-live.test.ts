// Every command the collectors run, built by shared/slurm/commands.ts and sent over a real ssh2
// connection to both test-bed clusters (Slurm 22.05 and 24.11); each output must parse without a single
// rejected record and agree with a second source: another Slurm command, or the cluster.json the test bed
// wrote when it built the cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueuedJob } from '../../shared/model/job';
import type { SlurmNode } from '../../shared/model/node';
import {
  sacctCommand,
  sacctFields,
  sacctHelpformatCommand,
  sacctmgrUserCommand,
  scontrolConfigCommand,
  scontrolJobsCommand,
  scontrolNodesCommand,
  scontrolPartitionsCommand,
  scontrolReservationsCommand,
  sdiagCommand,
  sinfoNodesCommand,
  sprioCommand,
  sprioHasAccount,
  squeueCommand,
  sshareCommand,
  versionCommand,
  type SlurmCommand,
} from '../../shared/slurm/commands';
import type { ParseResult } from '../../shared/slurm/parse/result';
import { parseSacct, parseSacctHelpformat } from '../../shared/slurm/parse/sacct';
import { parseSacctmgrUser } from '../../shared/slurm/parse/sacctmgr-user';
import { parseScontrolConfig } from '../../shared/slurm/parse/scontrol-config';
import { parseScontrolJobs } from '../../shared/slurm/parse/scontrol-job';
import { parseScontrolNodes } from '../../shared/slurm/parse/scontrol-node';
import { parseScontrolPartitions } from '../../shared/slurm/parse/scontrol-partition';
import { parseScontrolReservations } from '../../shared/slurm/parse/scontrol-reservation';
import { parseSdiag } from '../../shared/slurm/parse/sdiag';
import { parseSinfoNodes } from '../../shared/slurm/parse/sinfo';
import { parseSprio, sprioColumns } from '../../shared/slurm/parse/sprio';
import { parseSqueue } from '../../shared/slurm/parse/squeue';
import { parseSshare } from '../../shared/slurm/parse/sshare';
import { parseSlurmVersion, type SlurmVersion } from '../../shared/slurm/version';
import { execArgv } from '../../electron/core/ssh/exec';
import { CLUSTERS, connect, readCluster, type Connection, type TestbedCluster } from './testbed';

// The test bed's hosts run in UTC; the commands ask for epoch times anyway.
const ZONE = 'UTC';

async function output(conn: Connection, cmd: SlurmCommand): Promise<string> {
  const res = await execArgv(conn.client, cmd.argv, { env: cmd.env, timeoutMs: 60_000 });
  expect(res.code, `${cmd.argv.join(' ')}: ${res.stderr}`).toBe(0);
  return res.stdout;
}

function clean<T>(result: ParseResult<T>): T[] {
  expect(result.errors.map((e) => e.message)).toEqual([]);
  return result.items;
}

/** Run `check` until it passes (the queue moves between two commands), at most `tries` times. */
async function settle(tries: number, check: () => Promise<void>): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await check();
    } catch (err) {
      if (i >= tries) throw err;
      await new Promise((r) => setTimeout(r, 1500));
    }
  }
}

function gpuTotalsByType(nodes: readonly SlurmNode[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of nodes) for (const g of n.gpus) out[g.type ?? '(untyped)'] = (out[g.type ?? '(untyped)'] ?? 0) + g.total;
  return out;
}

describe.each(CLUSTERS)('text parsers on live cluster %s', (name) => {
  let cluster: TestbedCluster;
  let conn: Connection;
  let version: SlurmVersion;

  beforeAll(async () => {
    cluster = readCluster(name);
    conn = await connect(cluster, 'opsoper');
    version = parseSlurmVersion(await output(conn, versionCommand()));
  });
  afterAll(() => conn?.close());

  it('reports the version cluster.json names', () => {
    expect(`${version.major}.${String(version.minor).padStart(2, '0')}.${version.patch}`).toBe(cluster.slurmVersion);
  });

  it('reads every node from scontrol, and sinfo agrees on names, partitions, CPUs, memory and GPUs', async () => {
    const nodes = clean(parseScontrolNodes(await output(conn, scontrolNodesCommand()), { timeZone: ZONE }));
    const viaSinfo = clean(parseSinfoNodes(await output(conn, sinfoNodesCommand()), { timeZone: ZONE }));
    expect(nodes.map((n) => n.name).sort()).toEqual([...cluster.nodes].sort());
    expect(viaSinfo.map((n) => n.name).sort()).toEqual([...cluster.nodes].sort());
    const byName = new Map(viaSinfo.map((n) => [n.name, n]));
    for (const n of nodes) {
      const s = byName.get(n.name) as SlurmNode;
      expect(s.partitions.sort(), n.name).toEqual([...n.partitions].sort());
      expect(s.cpus.total, n.name).toBe(n.cpus.total);
      expect(s.memoryMiB.total, n.name).toBe(n.memoryMiB.total);
      expect(s.gpus.map((g) => [g.type, g.total]), n.name).toEqual(n.gpus.map((g) => [g.type, g.total]));
    }
    // GPU types are exactly those the test bed configured, and every GPU node has some.
    expect(Object.keys(gpuTotalsByType(nodes)).sort()).toEqual([...cluster.gpuTypes].sort());
    // Drains set by the scenario carry who and when.
    for (const n of nodes.filter((x) => x.flags.includes('DRAIN'))) {
      expect(n.reason, n.name).toBeTruthy();
      expect(n.reasonUser, n.name).toBe('root');
      expect(n.reasonTime, n.name).toBeGreaterThan(1_600_000_000);
    }
  });

  it('reads partitions whose node lists and counts match the nodes', async () => {
    const partitions = clean(parseScontrolPartitions(await output(conn, scontrolPartitionsCommand())));
    expect(partitions.map((p) => p.name).sort()).toEqual([...cluster.partitions].sort());
    expect(partitions.filter((p) => p.isDefault)).toHaveLength(1);
    for (const p of partitions) {
      expect(p.nodes.length, p.name).toBe(p.totalNodes);
      for (const n of p.nodes) expect(cluster.nodes, p.name).toContain(n);
    }
  });

  it('reads the queue; GPUs held by running jobs equal GPUs in use on the nodes, and scontrol gives their indices', async () => {
    await settle(5, async () => {
      const jobs = clean(parseSqueue(await output(conn, squeueCommand()), { timeZone: ZONE }));
      const nodes = clean(parseScontrolNodes(await output(conn, scontrolNodesCommand()), { timeZone: ZONE }));
      const details = clean(parseScontrolJobs(await output(conn, scontrolJobsCommand())));
      const running = jobs.filter((j) => j.state === 'RUNNING');
      const heldByJobs = running.reduce((a, j) => a + (j.tresAlloc?.gpu ?? 0), 0);
      const usedOnNodes = nodes.reduce((a, n) => a + n.gpus.reduce((b, g) => b + g.used, 0), 0);
      expect(heldByJobs).toBe(usedOnNodes);
      // Per node: the indices scontrol show job -d lists for the jobs on it are the node's GresUsed IDX.
      const idxByNode = new Map<string, number[]>();
      for (const d of details.filter((x) => x.state === 'RUNNING')) {
        for (const a of d.allocations) {
          for (const node of a.nodes) {
            for (const g of a.gres.filter((e) => e.name === 'gpu')) idxByNode.set(node, [...(idxByNode.get(node) ?? []), ...(g.indices ?? [])]);
          }
        }
      }
      for (const n of nodes) {
        const fromJobs = (idxByNode.get(n.name) ?? []).sort((a, b) => a - b);
        const fromNode = n.gpus.flatMap((g) => g.usedIndices ?? []).sort((a, b) => a - b);
        expect(fromJobs, n.name).toEqual(fromNode);
      }
      // squeue and scontrol agree on which jobs exist and their restart counts.
      const detailById = new Map(details.map((d) => [d.jobIdRaw, d]));
      for (const j of jobs) {
        const d = detailById.get(j.jobIdRaw);
        expect(d, `job ${j.jobId}`).toBeDefined();
        expect(d?.restarts, `job ${j.jobId}`).toBe(j.restarts);
        expect(d?.user, `job ${j.jobId}`).toBe(j.user);
      }
    });
  });

  it('reads every run of the last days from sacct; epoch and local-time outputs agree; Restarts only where sacct has it', async () => {
    const helpformat = parseSacctHelpformat(await output(conn, sacctHelpformatCommand()));
    const fields = sacctFields(version, helpformat);
    expect(fields.includes('Restarts')).toBe(version.major >= 24);
    const now = Math.floor(Date.now() / 1000);
    const window = { start: now - 3 * 86400, end: now, timeZone: ZONE };
    const cmd = sacctCommand(fields, window);
    const epoch = parseSacct(await output(conn, cmd), { timeZone: ZONE });
    const iso = parseSacct(await output(conn, { argv: cmd.argv, env: {} }), { timeZone: ZONE });
    expect(epoch.errors.map((e) => e.message)).toEqual([]);
    expect(iso.errors.map((e) => e.message)).toEqual([]);
    expect(epoch.summary.ignoredColumns).toEqual([]);
    expect(epoch.items.length).toBeGreaterThan(5);
    // Runs finished before the second query started are identical in both, times included.
    const key = (r: { jobIdRaw: number; submitTime: number | null; endTime: number | null }): string => `${r.jobIdRaw}@${r.submitTime}@${r.endTime}`;
    const isoKeys = new Set(iso.items.map(key));
    const finished = epoch.items.filter((r) => r.endTime !== null && r.endTime < now - 5);
    expect(finished.length).toBeGreaterThan(0);
    for (const r of finished) expect(isoKeys.has(key(r)), key(r)).toBe(true);
    // The scenario's preemption: a PREEMPTED run and a later run of the same job id (-D keeps both).
    const preempted = epoch.items.filter((r) => r.state === 'PREEMPTED');
    expect(preempted.length).toBeGreaterThan(0);
    expect(preempted.some((p) => epoch.items.some((r) => r.jobIdRaw === p.jobIdRaw && r !== p))).toBe(true);
    for (const r of epoch.items) expect(r.restarts === null).toBe(!fields.includes('Restarts'));
  });

  it('reads the fair-share tree the test bed created', async () => {
    const rows = clean(parseSshare(await output(conn, sshareCommand())));
    const accountRows = new Map(rows.filter((r) => r.user === null).map((r) => [r.account, r]));
    expect(accountRows.get('root')).toMatchObject({ depth: 0, parent: null });
    expect(accountRows.get('research')?.parent).toBe('root');
    expect(accountRows.get('vision')?.parent).toBe('research');
    expect(accountRows.get('nlp')?.parent).toBe('research');
    expect(accountRows.get('inference')?.parent).toBe('production');
    expect(rows.find((r) => r.user === 'opsuser')).toMatchObject({ account: 'vision', parent: 'vision' });
  });

  it('reads sprio for pending jobs that squeue lists as pending', async () => {
    await settle(5, async () => {
      const columns = sprioColumns(sprioHasAccount(version));
      const rows = clean(parseSprio(await output(conn, sprioCommand(version)), columns));
      const jobs: QueuedJob[] = clean(parseSqueue(await output(conn, squeueCommand()), { timeZone: ZONE }));
      const pending = new Map(jobs.filter((j) => j.state === 'PENDING').map((j) => [j.jobIdRaw, j]));
      for (const r of rows) {
        expect(pending.has(r.jobIdRaw), `sprio job ${r.jobIdRaw}`).toBe(true);
        expect(r.user).toBe(pending.get(r.jobIdRaw)?.user);
        if (r.account !== null) expect(r.account).toBe(pending.get(r.jobIdRaw)?.account);
      }
    });
  });

  it('reads reservations, controller statistics and configuration', async () => {
    clean(parseScontrolReservations(await output(conn, scontrolReservationsCommand()), { timeZone: ZONE }));
    const health = parseSdiag(await output(conn, sdiagCommand()));
    expect(health.rpcByType.length).toBeGreaterThan(0);
    expect(health.rpcByUser.some((u) => u.user === 'opsoper')).toBe(true);
    expect(health.statsSince).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    const config = parseScontrolConfig(await output(conn, scontrolConfigCommand()));
    expect(config.clusterName).toBe(name);
    expect(config.slurmVersion).toBe(cluster.slurmVersion);
    expect(config.preemptType).toBe(name === 'alpha' ? 'preempt/qos' : 'preempt/partition_prio');
    expect(config.privateData).toEqual([]);
  });

  it('reads AdminLevel and coordinated accounts for the users the test bed gave those roles', async () => {
    const oper = parseSacctmgrUser(await output(conn, sacctmgrUserCommand('opsoper')));
    const coord = parseSacctmgrUser(await output(conn, sacctmgrUserCommand('opscoord')));
    const plain = parseSacctmgrUser(await output(conn, sacctmgrUserCommand('opsuser')));
    expect(oper?.adminLevel).toBe('Operator');
    expect(coord).toMatchObject({ adminLevel: 'None', coordinatorOf: ['nlp'] });
    expect(plain).toMatchObject({ adminLevel: 'None', coordinatorOf: [], defaultAccount: 'vision' });
  });
});
