// Run the clusterops CLI in-process against a fresh data directory, with the test-bed clusters added the
// way a user would add them (clusters add … --identity … --known-hosts …).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../electron/host/cli/main';
import type { CliIo } from '../../electron/host/cli/context';
import { STATE, readCluster, type ClusterName } from './testbed';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(dataDir: string, ...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false, readLine: null };
  const code = await runCli(['--data-dir', dataDir, ...argv], io, { ...process.env, CLUSTEROPS_DATA_DIR: '' });
  return { code, stdout, stderr };
}

export async function cliJson<T>(dataDir: string, ...argv: string[]): Promise<T> {
  const r = await cli(dataDir, ...argv, '--json');
  if (r.code !== 0) throw new Error(`clusterops ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** A new data directory with the named test-bed clusters configured for `user`. */
export async function freshConsole(clusters: readonly ClusterName[], user = 'opsuser'): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'clusterops-it-'));
  for (const name of clusters) {
    const c = readCluster(name);
    const r = await cli(dir, 'clusters', 'add', name, '--host', c.host, '--port', String(c.sshPort), '--user', user, '--identity', path.join(STATE, 'keys', user), '--known-hosts', path.join(STATE, 'known_hosts'));
    if (r.code !== 0) throw new Error(`clusters add ${name}: ${r.stderr}`);
  }
  return dir;
}
