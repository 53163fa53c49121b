// `clusterops export usage --sync-first` on the real test bed: GPU-hours per account must equal what
// sacct itself says for the same window. The expectation is computed here from raw
// `sacct -a -D -P -X -o JobID,Account,AllocTRES,ElapsedRaw,Start,End,State` text (with regexes, not our
// parsers), clipping each run to the window by the documented rule: a run held its GPUs over
// [Start, Start + ElapsedRaw) (a running run: to the window end), and only the part inside [from, to) counts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/core/store/db';
import { cli, freshConsole } from './cli-helpers';
import { CLUSTERS, connect, readCluster, type Connection } from './testbed';

interface UsageJson {
  rows: { cluster: string; account: string; gpu_hours: number; billing_hours: number; runs: number }[];
}

async function sacctGpuHours(conn: Connection, from: number, to: number): Promise<Map<string, number>> {
  // -S/-E in the cluster's local time, as sacct reads them; Start printed as epoch seconds.
  const script = `SLURM_TIME_FORMAT=%s sacct -a -D -P -X -n -o JobID,Account,AllocTRES,ElapsedRaw,Start,End,State -S $(date -d @${from} +%Y-%m-%dT%H:%M:%S) -E $(date -d @${to} +%Y-%m-%dT%H:%M:%S)`;
  const r = await conn.run(['sh', '-c', script]);
  if (r.code !== 0) throw new Error(`sacct: ${r.stderr}`);
  const out = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const [, account, tres, elapsedRaw, startText, endText] = line.split('|') as string[];
    const start = Number(startText);
    if (!/^\d+$/.test(startText ?? '')) continue; // never started (Unknown / None)
    const gpus = Number(/(?:^|,)gres\/gpu=(\d+)/.exec(tres ?? '')?.[1] ?? 0);
    const running = !/^\d+$/.test(endText ?? '');
    const end = running ? Math.max(start + Number(elapsedRaw), to) : start + Number(elapsedRaw);
    const seconds = Math.max(0, Math.min(end, to) - Math.max(start, from));
    out.set(account as string, (out.get(account as string) ?? 0) + (gpus * seconds) / 3600);
  }
  return out;
}

describe('export usage against sacct on the test bed', () => {
  let dir: string;
  const conns = new Map<string, Connection>();

  beforeAll(async () => {
    dir = await freshConsole(CLUSTERS, 'opsoper');
    for (const name of CLUSTERS) conns.set(name, await connect(readCluster(name), 'opsoper'));
  });
  afterAll(() => {
    for (const c of conns.values()) c.close();
  });

  it('GPU-hours per account equal sacct -a -D -X clipped to the window, on both clusters', async () => {
    // A window ending in the past (so running runs are cut at its end on both sides), two days long.
    const to = Math.floor(Date.now() / 1000) - 30;
    const from = to - 2 * 86400;
    const out = path.join(dir, 'usage.json');
    const r = await cli(dir, 'export', 'usage', '--sync-first', '--from', String(from), '--to', String(to), '--tz', 'UTC', '--group-by', 'cluster,account', '--no-roll-up', '--format', 'json', '--out', out);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as UsageJson;
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as { clusters: { name: string; slurmVersion: string; tresBillingWeights: Record<string, string | null> }[] };
    for (const name of CLUSTERS) {
      const expected = await sacctGpuHours(conns.get(name) as Connection, from, to);
      const ours = new Map(doc.rows.filter((x) => x.cluster === name).map((x) => [x.account, x.gpu_hours]));
      const accounts = new Set([...expected.keys(), ...ours.keys()].filter((a) => (expected.get(a) ?? 0) > 0 || (ours.get(a) ?? 0) > 0));
      expect(accounts.size, `${name} has GPU usage in the window`).toBeGreaterThan(0);
      for (const a of accounts) expect(ours.get(a) ?? 0, `${name}/${a}`).toBeCloseTo(expected.get(a) ?? 0, 6);
      const m = manifest.clusters.find((c) => c.name === name);
      expect(m?.slurmVersion).toBe(readCluster(name).slurmVersion);
      // The test bed sets TRESBillingWeights on its GPU partitions.
      expect(Object.values(m?.tresBillingWeights ?? {}).some((w) => w !== null && /gpu/i.test(w))).toBe(true);
    }
  });

  it('reconciles with sreport: every cluster answers and each difference has a reason', async () => {
    const to = Math.floor(Date.now() / 3600 / 1000) * 3600;
    const from = to - 2 * 86400;
    const out = path.join(dir, 'recon.csv');
    const r = await cli(dir, 'export', 'usage', '--from', String(from), '--to', String(to), '--tz', 'UTC', '--group-by', 'cluster,account,user', '--out', out, '--reconcile');
    expect([0, 2], r.stderr + r.stdout).toContain(r.code);
    const rec = JSON.parse(readFileSync(`${out}.reconcile.json`, 'utf8')) as { cluster: string; error: string | null; lines: { status: string; reason: string | null; sreport: number }[] }[];
    expect(rec.map((c) => c.cluster)).toEqual([...CLUSTERS]);
    for (const c of rec) {
      expect(c.error).toBeNull();
      expect(c.lines.some((l) => l.sreport > 0), `${c.cluster}: sreport has usage`).toBe(true);
      for (const l of c.lines) if (l.status === 'differs') expect(l.reason).not.toBeNull();
    }
  });

  it('export snapshot of one cluster opens read-only with its accounting', async () => {
    const out = path.join(dir, 'beta.db');
    const r = await cli(dir, 'export', 'snapshot', '--out', out, '--cluster', 'beta', '--from', '3d');
    expect(r.code, r.stderr).toBe(0);
    const snap = openStore({ dataDir: dir, file: out, readonly: true });
    try {
      expect((snap.db.prepare('SELECT name FROM clusters').all() as { name: string }[]).map((c) => c.name)).toEqual(['beta']);
      expect((snap.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      snap.close();
    }
  });
});
