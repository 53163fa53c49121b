// The clusterops CLI in-process: help on every command, exit codes, usage errors, clusters add/list/remove,
// and an offline sacct import read back through preemptions. No cluster is contacted here.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../electron/host/cli/main';
import { COMMANDS } from '../../../../electron/host/cli/commands/index';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false, readLine: null }, { HOME: '/nonexistent', USER: 'tester' });
  return { code, stdout, stderr };
}
const fresh = () => mkdtempSync(path.join(tmpdir(), 'clusterops-cli-'));
const fixture = (p: string) => path.resolve(import.meta.dirname, '../../../fixtures/slurm', p);

describe('clusterops CLI', () => {
  it('prints help for the program and for every command, and exits 0', async () => {
    const top = await run('--help');
    expect(top.code).toBe(0);
    for (const cmd of COMMANDS) {
      expect(top.stdout).toContain(cmd.path.join(' '));
      const h = await run(...cmd.path, '--help');
      expect(h.code, cmd.path.join(' ')).toBe(0);
      expect(h.stdout).toContain(`Usage: clusterops ${cmd.path.join(' ')}`);
      expect(h.stdout).toContain('--data-dir');
    }
  });

  it('says what is wrong, with exit 1, for unknown commands, options and bad values', async () => {
    const unknown = await run('frobnicate');
    expect(unknown).toMatchObject({ code: 1 });
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const dir = fresh();
    const badOpt = await run('--data-dir', dir, 'clusters', 'add', 'x', '--host', 'h', '--bogus');
    expect(badOpt.code).toBe(1);
    expect(badOpt.stderr).toMatch(/Unknown option '--bogus'[\s\S]*Usage: clusterops clusters add/);
    const badName = await run('--data-dir', dir, 'clusters', 'add', 'x;rm', '--host', 'h');
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/not allowed/);
    const badPort = await run('--data-dir', dir, 'clusters', 'add', 'x', '--host', 'h', '--port', '99999');
    expect(badPort.stderr).toMatch(/--port must be a whole number from 1 to 65535/);
    const badSince = await run('--data-dir', dir, 'preemptions', '--since', 'yesterday-ish');
    expect(badSince.code).toBe(1);
    expect(badSince.stderr).toMatch(/--since "yesterday-ish"/);
  });

  it('adds, lists, updates and removes clusters; a partial remove exits 2', async () => {
    const dir = fresh();
    expect((await run('--data-dir', dir, 'clusters', 'add', 'hpc1', '--host', 'login.example.org', '--user', 'ops', '--jump', 'me@bastion:2222,gw')).code).toBe(0);
    expect((await run('--data-dir', dir, 'clusters', 'add', 'hpc2', '--host', 'login2.example.org', '--identity', '/keys/id_ed25519')).code).toBe(0);
    const list = JSON.parse((await run('--data-dir', dir, '--json', 'clusters', 'list')).stdout) as { name: string; user: string; auth: { kind: string }; jump: { host: string; port: number; user: string }[] }[];
    expect(list.map((c) => c.name)).toEqual(['hpc1', 'hpc2']);
    expect(list[0]?.jump).toEqual([
      { host: 'bastion', port: 2222, user: 'me', identityFile: null },
      { host: 'gw', port: 22, user: 'ops', identityFile: null },
    ]);
    expect(list[1]).toMatchObject({ user: 'tester', auth: { kind: 'key' } });
    const updated = await run('--data-dir', dir, 'clusters', 'add', 'hpc1', '--host', 'login.example.org', '--port', '2200');
    expect(updated.stdout).toMatch(/^Updated cluster hpc1/);
    const partial = await run('--data-dir', dir, 'clusters', 'remove', 'hpc1', 'nope');
    expect(partial.code).toBe(2);
    expect(partial.stderr).toMatch(/no cluster named nope/);
    expect((await run('--data-dir', dir, 'clusters', 'list')).stdout).not.toContain('hpc1');
  });

  it('reads the cache without any cluster reachable: status of a never-synced cluster', async () => {
    const dir = fresh();
    await run('--data-dir', dir, 'clusters', 'add', 'offline', '--host', '203.0.113.1');
    const status = await run('--data-dir', dir, '--json', 'status');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual([
      expect.objectContaining({ name: 'offline', lastSyncAt: null, gpus: expect.objectContaining({ total: 0 }), jobs: expect.objectContaining({ running: 0 }) }),
    ]);
  });

  it('imports an offline sacct file (with header) and finds its preempted runs; importing again changes nothing', async () => {
    const dir = fresh();
    await run('--data-dir', dir, 'clusters', 'add', 'beta', '--host', '203.0.113.2');
    const imported = await run('--data-dir', dir, 'import', '--cluster', 'beta', '--kind', 'sacct', '--tz', 'UTC', fixture('24.11/sacct-iso.txt'));
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Imported \d+ rows into beta/);
    const again = await run('--data-dir', dir, '--json', 'import', '--cluster', 'beta', '--tz', 'UTC', fixture('24.11/sacct-iso.txt'));
    const counts = (JSON.parse(again.stdout) as { counts: { inserted: number; updated: number } }).counts;
    expect(counts).toMatchObject({ inserted: 0, updated: 0 });
    const pre = JSON.parse((await run('--data-dir', dir, '--json', 'preemptions', '--since', '2026-01-01')).stdout) as { state: string; allocTres: { gpu: number } }[];
    expect(pre.length).toBeGreaterThan(0);
    expect(pre.every((r) => r.state === 'PREEMPTED')).toBe(true);
    expect(pre.some((r) => r.allocTres.gpu === 4)).toBe(true);
  });

  it('rejects an import without a header line, naming the problem', async () => {
    const dir = fresh();
    await run('--data-dir', dir, 'clusters', 'add', 'c', '--host', 'h');
    const file = path.join(dir, 'noheader.txt');
    writeFileSync(file, '1|1|bob|inference|cpu|normal|COMPLETED|0:0\n');
    const r = await run('--data-dir', dir, 'import', '--cluster', 'c', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/header/i);
  });
});
