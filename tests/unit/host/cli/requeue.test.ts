// clusterops requeue / audit without a cluster to talk to: usage rules, ids refused before any
// connection is made, CSV quoting of the audit export.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditCsv, csvField } from '../../../../electron/host/cli/commands/audit';
import { runCli } from '../../../../electron/host/cli/main';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(dir: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['--data-dir', dir, ...argv], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false, readLine: null }, { HOME: '/nonexistent', USER: 'tester' });
  return { code, stdout, stderr };
}

async function withCluster(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'clusterops-cli-'));
  dirs.push(dir);
  // Port 9 (discard) on localhost: any attempt to connect would fail loudly, none is expected.
  expect((await run(dir, 'clusters', 'add', 'alpha', '--host', '127.0.0.1', '--port', '9', '--user', 'opsuser')).code).toBe(0);
  return dir;
}

describe('clusterops requeue', () => {
  it('refuses a bad id before connecting, and logs nothing', async () => {
    const dir = await withCluster();
    const r = await run(dir, 'requeue', '--cluster', 'alpha', '--job', '12,1;touch /tmp/x', '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing job id "1;touch": nothing was sent/);
    expect((await run(dir, 'audit', '--json')).stdout.trim()).toBe('[]');
  });

  it('needs exactly one way of selecting, and excludes --hold with --release', async () => {
    const dir = await withCluster();
    expect((await run(dir, 'requeue', '--cluster', 'alpha')).stderr).toMatch(/exactly one of --job, filters, --retry, --undo/);
    expect((await run(dir, 'requeue', '--job', '1', '--user', 'alice')).stderr).toMatch(/exactly one of/);
    expect((await run(dir, 'requeue', '--job', '1', '--hold', '--release', '--yes')).stderr).toMatch(/exclude each other/);
    expect((await run(dir, 'requeue', '--job', '1', '--batch', '0')).stderr).toMatch(/--batch must be a whole number from 1/);
  });

  it('--retry / --undo of an action not in the log', async () => {
    const dir = await withCluster();
    const r = await run(dir, 'requeue', '--retry', '7', '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no action 7 in the audit log/);
  });
});

describe('audit CSV', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
    expect(auditCsv([])).toMatch(/^action_id,parent_id,origin,cluster,action,local_user,cluster_user,started_at,finished_at,outcome,selection,job_id,/);
  });
});
