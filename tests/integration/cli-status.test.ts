// `clusterops sync` then `status --json` on both test-bed clusters must say what Slurm itself says
// (sinfo / squeue, read here with plain commands and regexes, not with our parsers).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliJson, freshConsole } from './cli-helpers';
import { CLUSTERS, STATE, connect, readCluster, type Connection } from './testbed';

interface StatusJson {
  name: string;
  slurmVersion: string;
  lastSyncAt: number;
  nodes: { total: number; byState: Record<string, number> };
  gpus: { total: number; allocated: number; idle: number; unavailable: number };
  jobs: { running: number; pending: number };
  pendingGpus: number;
}

/** What Slurm says right now, from sinfo/squeue text. */
async function slurmSays(conn: Connection) {
  const sh = async (script: string) => {
    const r = await conn.run(['sh', '-c', script]);
    if (r.code !== 0) throw new Error(`${script}: ${r.stderr}`);
    return r.stdout;
  };
  // One line per node (sinfo -N repeats a node per partition).
  const nodeLines = (await sh("sinfo -h -N -O 'NodeList:40,StateLong:20,Gres:60,GresUsed:80' | sort -u")).trim().split('\n');
  let total = 0;
  let used = 0;
  let unavailableFree = 0;
  const seen = new Set<string>();
  for (const line of nodeLines) {
    const [node, state, gres, gresUsed] = line.trim().split(/\s+/);
    if (!node || seen.has(node)) continue;
    seen.add(node);
    const t = [...(gres ?? '').matchAll(/gpu:[^:,(]+:(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
    const u = [...(gresUsed ?? '').matchAll(/gpu:[^:,(]+:(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
    total += t;
    used += u;
    if (/drain|down|fail|maint|not_responding|\*|inval/i.test(state ?? '')) unavailableFree += t - u;
  }
  const count = async (states: string) => (await sh(`squeue -h -r -t ${states} -o %i | wc -l`)).trim();
  return {
    nodes: seen.size,
    gpus: { total, allocated: used, unavailable: unavailableFree, idle: total - used - unavailableFree },
    running: Number(await count('R')),
    pending: Number(await count('PD')),
  };
}

describe('clusterops status against Slurm', () => {
  let dir: string;
  const conns = new Map<string, Connection>();

  beforeAll(async () => {
    dir = await freshConsole(CLUSTERS);
    for (const name of CLUSTERS) conns.set(name, await connect(readCluster(name), 'opsuser'));
  });
  afterAll(() => {
    for (const c of conns.values()) c.close();
  });

  it('status works before any sync and says nothing was collected', async () => {
    const status = await cliJson<StatusJson[]>(dir, 'status');
    expect(status.map((s) => s.name)).toEqual([...CLUSTERS]);
    for (const s of status) expect(s.lastSyncAt).toBeNull();
  });

  it.each(CLUSTERS)('%s: sync, then status --json matches sinfo and squeue', async (name) => {
    // The scenario's queue moves (preempted jobs restart): compare within one quiet moment, retrying.
    let last = '';
    for (let attempt = 1; attempt <= 5; attempt++) {
      const sync = await cli(dir, 'sync', '--cluster', name, '--kinds', 'nodes,queue,partitions');
      expect(sync.code, sync.stderr + sync.stdout).toBe(0);
      const [status] = await cliJson<StatusJson[]>(dir, 'status', '--cluster', name);
      const truth = await slurmSays(conns.get(name) as Connection);
      const got = {
        nodes: status?.nodes.total,
        gpus: status && { total: status.gpus.total, allocated: status.gpus.allocated, unavailable: status.gpus.unavailable, idle: status.gpus.idle },
        running: status?.jobs.running,
        pending: status?.jobs.pending,
      };
      if (JSON.stringify(got) === JSON.stringify(truth)) {
        expect(status?.slurmVersion).toBe(readCluster(name).slurmVersion);
        expect(status?.nodes.total).toBe(readCluster(name).nodes.length);
        // The scenario drains one GPU node, so some GPUs are unavailable.
        expect(status?.gpus.unavailable).toBeGreaterThan(0);
        expect(status?.gpus.total).toBe(status!.gpus.allocated + status!.gpus.idle + status!.gpus.unavailable);
        return;
      }
      last = `ours ${JSON.stringify(got)} vs slurm ${JSON.stringify(truth)}`;
      await new Promise((r) => setTimeout(r, 3000));
    }
    throw new Error(`status never matched Slurm: ${last}`);
  });

  it('nodes shows the drained node with its reason and who set it', async () => {
    const nodes = await cliJson<{ cluster: string; name: string; stateLabel: string; reason: string | null; reasonUser: string | null }[]>(dir, 'nodes', '--unavailable');
    const drained = nodes.filter((n) => n.stateLabel === 'drained');
    expect(new Set(drained.map((n) => n.cluster))).toEqual(new Set(CLUSTERS));
    for (const n of drained) {
      expect(n.reason).toBeTruthy();
      expect(n.reasonUser).toBe('root');
    }
  });

  it('preemptions lists preempted runs from sacct -D with GPU-hours', async () => {
    const sync = await cli(dir, 'sync', '--kinds', 'accounting', '--initial-days', '1');
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    const runs = await cliJson<{ cluster: string; state: string; allocTres: { gpu: number }; gpuHoursLost: number }[]>(dir, 'preemptions', '--since', '1d');
    for (const name of CLUSTERS) {
      const mine = runs.filter((r) => r.cluster === name);
      expect(mine.length, `${name} has preempted runs`).toBeGreaterThan(0);
      expect(mine.every((r) => r.state === 'PREEMPTED')).toBe(true);
      expect(mine.some((r) => r.allocTres.gpu > 0)).toBe(true);
    }
  });

  it('reads the cache offline: a cluster that cannot be reached still shows its last data', async () => {
    // Point alpha at a port nothing listens on; status and jobs keep answering from the cache.
    const c = readCluster('alpha');
    const before = await cliJson<StatusJson[]>(dir, 'status', '--cluster', 'alpha');
    const moved = await cli(dir, 'clusters', 'add', 'alpha', '--host', c.host, '--port', '1', '--user', 'opsuser', '--identity', path.join(STATE, 'keys', 'opsuser'));
    expect(moved.code).toBe(0);
    const failed = await cli(dir, 'sync', '--cluster', 'alpha', '--kinds', 'nodes');
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toMatch(/alpha: failed: .*(refused|ECONNREFUSED|unreachable)/i);
    const after = await cliJson<StatusJson[]>(dir, 'status', '--cluster', 'alpha');
    expect(after[0]?.lastSyncAt).toBe(before[0]?.lastSyncAt);
    expect(after[0]?.gpus).toEqual(before[0]?.gpus);
  });
});

describe('host keys from the CLI', () => {
  it('refuses an unknown host key with its fingerprint, accepts it with --accept-host-key, then trusts the pin', async () => {
    const c = readCluster('beta');
    const dir = await freshConsole([]);
    // No --known-hosts: the test bed's key is unknown to this console (HOME has no known_hosts for it).
    const add = await cli(dir, 'clusters', 'add', 'beta', '--host', c.host, '--port', String(c.sshPort), '--user', 'opsuser', '--identity', path.join(STATE, 'keys', 'opsuser'));
    expect(add.code).toBe(0);
    const refused = await cli(dir, 'sync', '--kinds', 'nodes');
    expect(refused.code).toBe(1);
    const fp = /SHA256:[A-Za-z0-9+/]{43}/.exec(refused.stdout + refused.stderr)?.[0];
    expect(fp, refused.stdout + refused.stderr).toBeTruthy();
    const accepted = await cli(dir, 'sync', '--kinds', 'nodes', '--accept-host-key', fp as string);
    expect(accepted.code, accepted.stdout + accepted.stderr).toBe(0);
    const pinned = await cli(dir, 'sync', '--kinds', 'nodes');
    expect(pinned.code, pinned.stdout + pinned.stderr).toBe(0);
    // A different fingerprint given is not a blanket accept.
    const other = await freshConsole([]);
    await cli(other, 'clusters', 'add', 'beta', '--host', c.host, '--port', String(c.sshPort), '--user', 'opsuser', '--identity', path.join(STATE, 'keys', 'opsuser'));
    const wrong = await cli(other, 'sync', '--kinds', 'nodes', '--accept-host-key', 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(wrong.code).toBe(1);
  });
});
