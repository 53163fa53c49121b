// The JSON path against the text path on the live test bed, over real ssh2 connections: for each command
// with `--json` on the cluster's Slurm (22.05: squeue, sinfo, sacct; 24.11: also scontrol, sshare,
// sacctmgr), the text command runs, then the JSON one, then the text again; when both text runs agree
// (nothing changed in between), the JSON must normalise to the same model objects as the text parses to,
// with only the differences a Slurm version makes unavoidable (see tests/unit/shared/slurm/json/
// cross-check.test.ts for the list). 24.11 is also asked in every older data_parser it offers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingRun } from '../../shared/model/run';
import { runKey } from '../../shared/model/run';
import {
  sacctCommand,
  sacctFields,
  sacctHelpformatCommand,
  sacctmgrUserCommand,
  scontrolNodesCommand,
  scontrolPartitionsCommand,
  squeueCommand,
  sshareCommand,
  versionCommand,
  type SlurmCommand,
} from '../../shared/slurm/commands';
import { normaliseScontrolNodeJson } from '../../shared/slurm/json/nodes';
import { completePartition, normaliseScontrolPartitionJson } from '../../shared/slurm/json/partitions';
import { normaliseSacctJson } from '../../shared/slurm/json/sacct';
import { normaliseSacctmgrUsersJson } from '../../shared/slurm/json/sacctmgr-users';
import { normaliseSinfoNodesJson, normaliseSinfoPartitionsJson } from '../../shared/slurm/json/sinfo';
import { normaliseSqueueJson } from '../../shared/slurm/json/squeue';
import { normaliseSshareJson } from '../../shared/slurm/json/sshare';
import { parseSacct, parseSacctHelpformat } from '../../shared/slurm/parse/sacct';
import { parseSacctmgrUser } from '../../shared/slurm/parse/sacctmgr-user';
import { parseScontrolNodes } from '../../shared/slurm/parse/scontrol-node';
import { parseScontrolPartitions } from '../../shared/slurm/parse/scontrol-partition';
import { parseSqueue } from '../../shared/slurm/parse/squeue';
import { parseSshare } from '../../shared/slurm/parse/sshare';
import { formatSlurmTime } from '../../shared/slurm/parse/time';
import { parseSlurmVersion, versionAtLeast, type SlurmVersion } from '../../shared/slurm/version';
import { execArgv } from '../../electron/core/ssh/exec';
import { CLUSTERS, connect, readCluster, type Connection, type TestbedCluster } from './testbed';

const UTC = { timeZone: 'UTC' };

async function output(conn: Connection, cmd: SlurmCommand): Promise<string> {
  const res = await execArgv(conn.client, cmd.argv, { env: cmd.env, timeoutMs: 120_000 });
  expect(res.code, `${cmd.argv.join(' ')}: ${res.stderr}`).toBe(0);
  return res.stdout;
}

const json = (...argv: string[]): SlurmCommand => ({ argv, env: {} });

/**
 * Text, JSON, text: retry until the two text outputs parse to the same `stable` view (the queue moves),
 * then hand the first text and the JSON to `compare`.
 */
async function sameMoment(conn: Connection, text: SlurmCommand, jsonCmd: SlurmCommand, stable: (t: string) => unknown, compare: (text: string, json: string) => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const before = await output(conn, text);
    const out = await output(conn, jsonCmd);
    const after = await output(conn, text);
    try {
      expect(stable(after)).toEqual(stable(before));
    } catch (err) {
      if (attempt >= 8) throw err;
      await new Promise((r) => setTimeout(r, 2000));
      continue;
    }
    compare(before, out);
    return;
  }
}

function expectSame<T>(text: readonly T[], json: readonly T[], key: (x: T) => string, adjust: (t: T, j: T) => [T, T] = (t, j) => [t, j]): void {
  const a = new Map(text.map((x) => [key(x), x]));
  const b = new Map(json.map((x) => [key(x), x]));
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [k, t] of a) {
    const [x, y] = adjust(t, b.get(k) as T);
    expect(y, k).toEqual(x);
  }
}

function sacctAdjust(exitCodesKnown: boolean) {
  return (t: AccountingRun, j: AccountingRun): [AccountingRun, AccountingRun] => {
    expect(j.stateDetail === null, `stateDetail of ${t.jobId}`).toBe(t.stateDetail === null);
    const elapsed = t.endTime === null && j.endTime === null && j.elapsed >= t.elapsed && j.elapsed - t.elapsed < 60 ? t.elapsed : j.elapsed;
    const jj = { ...j, stateDetail: null, elapsed };
    if (!exitCodesKnown && j.exitCode === null) return [{ ...t, stateDetail: null, exitCode: null }, jj];
    return [{ ...t, stateDetail: null }, jj];
  };
}

const running = (runs: AccountingRun[]) => runs.map((r) => ({ ...r, elapsed: r.endTime === null ? 0 : r.elapsed }));

describe.each(CLUSTERS)('JSON normalisers on live cluster %s', (name) => {
  let cluster: TestbedCluster;
  let conn: Connection;
  let version: SlurmVersion;
  let modern: boolean;

  beforeAll(async () => {
    cluster = readCluster(name);
    conn = await connect(cluster, 'opsoper');
    version = parseSlurmVersion(await output(conn, versionCommand()));
    modern = versionAtLeast(version, 23, 2);
  });
  afterAll(() => conn?.close());

  it('detects the JSON family from meta', async () => {
    const r = normaliseSqueueJson(await output(conn, json('squeue', '--json')));
    expect(r.version.slurmRelease).toBe(cluster.slurmVersion);
    expect(r.version.match).toBe('exact');
    expect(r.version.family.release).toBe(cluster.slurmVersion.slice(0, 5));
    expect(r.errors).toEqual([]);
  });

  it('squeue --json gives the text path\'s queue', async () => {
    await sameMoment(
      conn,
      squeueCommand(),
      json('squeue', '-a', '--json'),
      (t) => parseSqueue(t, UTC).items,
      (text, out) => {
        const j = normaliseSqueueJson(out);
        expect(j.errors).toEqual([]);
        expectSame(parseSqueue(text, UTC).items, j.items, (x) => x.jobId);
      },
    );
  });

  it("sacct --json gives the text path's runs", async () => {
    const fields = sacctFields(version, parseSacctHelpformat(await output(conn, sacctHelpformatCommand())));
    const now = Math.floor(Date.now() / 1000);
    const text = sacctCommand(fields, { start: now - 86400, end: now, timeZone: 'UTC' });
    const jsonCmd = json('sacct', '--json', '-a', '-D', '-X', '-S', formatSlurmTime(now - 86400, 'UTC'), '-E', formatSlurmTime(now, 'UTC'));
    await sameMoment(conn, text, jsonCmd, (t) => running(parseSacct(t, UTC).items), (t, out) => {
      const j = normaliseSacctJson(out);
      expect(j.errors).toEqual([]);
      expectSame(parseSacct(t, UTC).items, j.items, runKey, sacctAdjust(j.version.family.sacctExitCodesReliable));
    });
  });

  it('node JSON (sinfo on 22.05, scontrol show node later) gives the text path\'s nodes', async () => {
    const jsonCmd = modern ? json('scontrol', '-d', 'show', 'node', '--json') : json('sinfo', '--json');
    await sameMoment(conn, scontrolNodesCommand(), jsonCmd, (t) => parseScontrolNodes(t, UTC).items, (text, out) => {
      const j = modern ? normaliseScontrolNodeJson(out) : normaliseSinfoNodesJson(out);
      expect(j.errors).toEqual([]);
      expect(j.items.map((n) => n.name).sort()).toEqual([...cluster.nodes].sort());
      expectSame(parseScontrolNodes(text, UTC).items, j.items, (n) => n.name);
    });
  });

  it('partitions, sshare and sacctmgr (23.02+ only)', async () => {
    if (!modern) {
      // 22.05: these commands do not take --json at all.
      const res = await execArgv(conn.client, ['sshare', '--json'], { env: {}, timeoutMs: 30_000 });
      expect(res.code).not.toBe(0);
      return;
    }
    const text = parseScontrolPartitions(await output(conn, scontrolPartitionsCommand())).items;
    for (const j of [normaliseScontrolPartitionJson(await output(conn, json('scontrol', 'show', 'partition', '--json'))), normaliseSinfoPartitionsJson(await output(conn, json('sinfo', '--json')))]) {
      const completed = j.items.map((p) => completePartition(p, text.find((t) => t.name === p.name) ?? { isDefault: false, preemptMode: 'missing', state: 'missing' }));
      expectSame(text, completed, (p) => p.name);
    }
    await sameMoment(conn, sshareCommand(), json('sshare', '-a', '-l', '--json'), (t) => parseSshare(t).items.map((r) => [r.account, r.user, r.depth, r.rawShares, r.rawUsage]), (t, out) => {
      expectSame(parseSshare(t).items, normaliseSshareJson(out).items, (r) => `${r.account}|${r.user ?? ''}`);
    });
    for (const user of ['opscoord', 'opsoper', 'opsuser']) {
      const t = parseSacctmgrUser(await output(conn, sacctmgrUserCommand(user)));
      expect(normaliseSacctmgrUsersJson(await output(conn, json('sacctmgr', 'show', 'user', user, 'withassoc', 'withcoord', '--json'))).items).toEqual([t]);
    }
  });

  it('every data_parser version the cluster offers reads the same queue and nodes', async () => {
    if (!versionAtLeast(version, 23, 11)) return; // --json=list and --json=<version> came with 23.11
    const list = await execArgv(conn.client, ['squeue', '--json=list'], { env: {}, timeoutMs: 30_000 });
    const parsers = [...`${list.stdout}${list.stderr}`.matchAll(/data_parser\/(v0\.0\.\d+)/g)].map((m) => m[1] as string);
    expect(parsers.length).toBeGreaterThan(1);
    for (const parser of parsers) {
      for (const [argv, normalise] of [
        [['squeue', '-a'], (t: string) => normaliseSqueueJson(t)],
        [['scontrol', '-d', 'show', 'node'], (t: string) => normaliseScontrolNodeJson(t)],
      ] as const) {
        await sameMoment(conn, json(...argv, '--json'), json(...argv, `--json=${parser}`), (t) => normalise(t).items, (base, other) => {
          const r = normalise(other);
          expect(r.version.parser).toBe(`data_parser/${parser}`);
          expect(r.version.match).toBe('exact');
          expect(r.items).toEqual(normalise(base).items);
        });
      }
    }
  });
});
