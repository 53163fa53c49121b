// clusterops export usage / export snapshot in-process over a store with hand-computed usage: dates read
// as local midnight in --tz, exit codes, no overwrite without --force, usage errors, and the snapshot
// opening read-only. No cluster is contacted here (the --sync-first / --reconcile paths are in the
// integration test).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../electron/host/cli/main';
import { windowTime } from '../../../../electron/host/cli/commands/export';
import { openStore } from '../../../../electron/core/store/db';
import { useTempDirs } from '../../core/store/temp-dir';
import { usageStore } from '../../core/export/usage-fixture';

const tempDir = useTempDirs();

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false, readLine: null }, { HOME: '/nonexistent', USER: 'tester' });
  return { code, stdout, stderr };
}

function dataDir(): string {
  const dir = tempDir();
  usageStore(dir).close();
  return dir;
}

describe('clusterops export', () => {
  it('reads window dates as local midnight in --tz and local times as wall time there', () => {
    expect(windowTime('2026-11-01', 'Europe/Berlin', 0, 'from')).toBe(Date.UTC(2026, 9, 31, 23) / 1000);
    expect(windowTime('2026-10-25T02:30', 'Europe/Berlin', 0, 'from')).toBe(Date.UTC(2026, 9, 25, 0, 30) / 1000);
    expect(windowTime('2026-11-01T00:00:00Z', 'Europe/Berlin', 0, 'from')).toBe(Date.UTC(2026, 10, 1) / 1000);
  });

  it('export usage writes the file and its manifest, exit 0; refuses to overwrite; --json for scripts', async () => {
    const dir = dataDir();
    const out = path.join(dir, 'nov.csv');
    const r = await run('--data-dir', dir, 'export', 'usage', '--from', '2026-11-01', '--to', '2026-11-03', '--tz', 'Europe/Berlin', '--cluster', 'alpha', '--group-by', 'account,user', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/24\.00 GPU-hours/);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.filter((x) => x.scope === 'own').map((x) => [x.account, x.user, Number(x.gpu_hours)])).toEqual([
      ['nlp', 'alice', 6],
      ['nlp', 'bob', 2],
      ['vision', 'opsuser', 16],
    ]);
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as { clusters: { name: string }[]; groupBy: string[] };
    expect(manifest.clusters.map((c) => c.name)).toEqual(['alpha']);
    const again = await run('--data-dir', dir, 'export', 'usage', '--from', '2026-11-01', '--to', '2026-11-03', '--out', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists/);
    const json = await run('--data-dir', dir, '--json', 'export', 'usage', '--from', '2026-11-01', '--to', '2026-11-03', '--tz', 'UTC', '--group-by', 'cluster,gpu-type,week', '--out', path.join(dir, 'w.parquet'));
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ rows: expect.any(Number), totals: { runs: expect.any(Number) } });
  });

  it('exits 1 with a clear message on bad usage, and writes nothing', async () => {
    const dir = dataDir();
    const out = path.join(dir, 'x.csv');
    const cases: [string[], RegExp][] = [
      [['--from', '2026-11-01', '--to', '2026-11-03'], /--out FILE is required/],
      [['--from', '2026-11-03', '--to', '2026-11-01', '--out', out], /--to must be after --from/],
      [['--from', '2026-11-01', '--to', '2026-11-03', '--out', out, '--tz', 'Mars/Base'], /not an IANA time zone/],
      [['--from', '2026-11-01', '--to', '2026-11-03', '--out', out, '--group-by', 'project'], /unknown grouping "project"/],
      [['--from', '2026-11-01', '--to', '2026-11-03', '--out', out, '--group-by', 'day,month'], /one period/],
      [['--from', '2026-11-01', '--to', '2026-11-03', '--out', path.join(dir, 'x.txt')], /--format must be one of/],
      [['--from', '2026-11-01', '--to', '2026-11-03', '--out', out, '--cluster', 'gamma'], /gamma/],
    ];
    for (const [args, message] of cases) {
      const r = await run('--data-dir', dir, 'export', 'usage', ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('export snapshot writes a file that opens read-only with the chosen cluster only', async () => {
    const dir = dataDir();
    const out = path.join(dir, 'snap.db');
    const r = await run('--data-dir', dir, 'export', 'snapshot', '--out', out, '--cluster', 'beta');
    expect(r.code).toBe(0);
    const snap = openStore({ dataDir: dir, file: out, readonly: true });
    expect((snap.db.prepare('SELECT name FROM clusters').all() as { name: string }[]).map((c) => c.name)).toEqual(['beta']);
    snap.close();
  });
});
