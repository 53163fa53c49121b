// What integration tests know about the running test bed: the cluster.json files up.sh wrote, and an
// ssh2 connection to a cluster as one of its users, verified against the generated known_hosts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'ssh2';
import { judgeHostKey, parseKnownHosts, type HostKeyVerdict } from '../../electron/core/ssh/known-hosts';
import { execArgv, type ExecResult } from '../../electron/core/ssh/exec';

export const STATE = process.env.CLUSTEROPS_TESTBED_DIR ?? '/var/tmp/clusterops-testbed';
export const CLUSTERS = ['alpha', 'beta'] as const;
export type ClusterName = (typeof CLUSTERS)[number];

export interface TestbedCluster {
  name: ClusterName;
  slurmVersion: string;
  host: string;
  sshPort: number;
  users: Record<string, { key: string; role: 'user' | 'coordinator' | 'operator' | 'root' }>;
  nodes: string[];
  partitions: string[];
  gpuTypes: string[];
}

export function readCluster(name: ClusterName): TestbedCluster {
  return JSON.parse(readFileSync(path.join(STATE, name, 'cluster.json'), 'utf8')) as TestbedCluster;
}

export interface Connection {
  client: Client;
  verdict: HostKeyVerdict;
  run(argv: string[], timeoutMs?: number): Promise<ExecResult>;
  close(): void;
}

export type ConnectFailure = Error & { verdict: HostKeyVerdict | null };

/** Open one ssh2 connection; the host key must be trusted by `knownHostsText` (default: the test bed's). */
export function connect(cluster: TestbedCluster, user: string, knownHostsText?: string): Promise<Connection> {
  const entries = parseKnownHosts(knownHostsText ?? readFileSync(path.join(STATE, 'known_hosts'), 'utf8'), 'known_hosts');
  const account = cluster.users[user];
  if (!account) throw new Error(`test bed cluster ${cluster.name} has no ssh user ${user}`);
  let verdict: HostKeyVerdict | null = null;
  const client = new Client();
  return new Promise((resolve, reject) => {
    client.on('ready', () =>
      resolve({
        client,
        verdict: verdict as HostKeyVerdict,
        run: (argv, timeoutMs = 60_000) => execArgv(client, argv, { timeoutMs }),
        close: () => client.end(),
      }),
    );
    client.on('error', (err) => reject(Object.assign(err, { verdict })));
    client.connect({
      host: cluster.host,
      port: cluster.sshPort,
      username: user,
      privateKey: readFileSync(account.key),
      readyTimeout: 20_000,
      hostVerifier: (key: Buffer) => {
        verdict = judgeHostKey(entries, cluster.host, cluster.sshPort, key);
        return verdict.status === 'trusted';
      },
    });
  });
}

/** Poll `probe` until it returns a value (not undefined) or the time runs out. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}
