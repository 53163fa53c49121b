// What the SSH-layer integration tests share: a ClusterConfig for a test-bed cluster as one of its users,
// a HostVerifier that trusts only the test bed's known_hosts (never this machine's ~/.ssh), and the
// server-side sshd processes of one of our connections, found with `ss -tnp` by our local port.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_POLL, type ClusterAuth, type ClusterConfig, type JumpHost } from '../../shared/model/cluster';
import type { HostKeyPrompt } from '../../electron/core/ports';
import { ClusterConnection, type ConnectionOptions, type ConnectionStatus } from '../../electron/core/ssh/connection';
import { HostVerifier } from '../../electron/core/ssh/host-verifier';
import { InMemoryPinnedHostKeys } from '../../electron/core/ssh/pinned-host-keys';
import { STATE, readCluster, type ClusterName } from './testbed';

export const KNOWN_HOSTS = path.join(STATE, 'known_hosts');

export function keyOf(user: string): string {
  return path.join(STATE, 'keys', user);
}

export function testbedCluster(name: ClusterName, user = 'opsuser', extra: { auth?: ClusterAuth; jump?: JumpHost[]; knownHostsFiles?: string[] } = {}): ClusterConfig {
  const c = readCluster(name);
  return {
    name: c.name,
    host: c.host,
    port: c.sshPort,
    user,
    auth: extra.auth ?? { kind: 'key', identityFile: keyOf(user in c.users ? user : 'opsuser'), hasPassphrase: false },
    jump: extra.jump ?? [],
    knownHostsFiles: extra.knownHostsFiles ?? [KNOWN_HOSTS],
    poll: { ...DEFAULT_POLL },
    enabled: true,
  };
}

/** Trusts exactly the given known_hosts files (default: none besides the cluster's own list). */
export function testbedVerifier(files: string[] = [], prompt: HostKeyPrompt | null = null): HostVerifier {
  return new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt, knownHostsFiles: files });
}

export function testbedConnection(cluster: ClusterConfig, options: Partial<ConnectionOptions> = {}): ClusterConnection {
  return new ClusterConnection(cluster, { verifier: testbedVerifier(), ...options });
}

/** The known_hosts line of one test-bed cluster. */
export function knownHostsLineOf(name: ClusterName): string {
  const port = readCluster(name).sshPort;
  const line = readFileSync(KNOWN_HOSTS, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`[127.0.0.1]:${port} `));
  if (!line) throw new Error(`no known_hosts line for ${name} in ${KNOWN_HOSTS}`);
  return line;
}

export interface SshdProcess {
  pid: number;
  uid: number;
}

/** The sshd processes holding the server side of the TCP connection from our `localPort` to `sshPort`. */
export function sshdProcessesFor(sshPort: number, localPort: number): SshdProcess[] {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `( sport = :${sshPort} and dport = :${localPort} )`], { encoding: 'utf8' });
  // OpenSSH 9.8+ (beta's Debian 13) runs sessions in a separate `sshd-session` binary.
  const pids = [...out.matchAll(/\("sshd(?:-session)?",pid=(\d+),fd=\d+\)/g)].map((m) => Number(m[1]));
  return [...new Set(pids)].map((pid) => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    return { pid, uid };
  });
}

/** TCP connections to `port` owned by sshd processes (a jump host forwarding for us). */
export function sshdConnectionsTo(port: number): string[] {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
  return out.split('\n').filter((l) => /"sshd(?:-session)?"/.test(l));
}

export function waitForState(c: ClusterConnection, predicate: (s: ConnectionStatus) => boolean, timeoutMs: number): Promise<ConnectionStatus> {
  if (predicate(c.status())) return Promise.resolve(c.status());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`connection state never matched within ${timeoutMs} ms; last: ${JSON.stringify(c.status())}`));
    }, timeoutMs);
    const off = c.onState((s) => {
      if (!predicate(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}
