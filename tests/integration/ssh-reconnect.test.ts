// Losing the connection for real: kill the sshd process serving our session (found with `ss -tnp` by our
// local port; only that PID) mid-command, and freeze it to let keepalives notice a silent server. The
// running command fails as `lost`, the state goes offline with a reason, and the connection comes back
// by itself through the backoff.
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterConnection, ConnectionStatus } from '../../electron/core/ssh/connection';
import type { ExecError } from '../../electron/core/ssh/exec';
import { CLUSTERS, readCluster } from './testbed';
import { sshdProcessesFor, testbedCluster, testbedConnection, waitForState } from './ssh-helpers';

const open: ClusterConnection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

const fastBackoff = { initialMs: 200, maxMs: 2_000, factor: 2, jitter: 0.5 };

/**
 * The unprivileged sshd child that serves our session (the root [priv] monitor is left alone). sshd forks
 * it just after authentication, so it can appear a moment after our side is ready: look for up to 5 s.
 */
async function sessionProcess(c: ClusterConnection, sshPort: number): Promise<number> {
  const localPort = c.localPort();
  if (localPort === null) throw new Error('not connected');
  let procs: ReturnType<typeof sshdProcessesFor> = [];
  for (let i = 0; i < 50; i++) {
    procs = sshdProcessesFor(sshPort, localPort);
    const child = procs.find((p) => p.uid !== 0);
    if (child) return child.pid;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no unprivileged sshd process for local port ${localPort}: ${JSON.stringify(procs)}`);
}

describe.each(CLUSTERS)('connection to %s lost and regained', (name) => {
  it('sshd session killed mid-command: lost, offline (closed), back by itself', async () => {
    const sshPort = readCluster(name).sshPort;
    const c = testbedConnection(testbedCluster(name), { backoff: fastBackoff });
    open.push(c);
    const states: ConnectionStatus[] = [];
    c.onState((s) => states.push(s));
    await c.connect();
    const running = c.exec(['sleep', '30']);
    await new Promise((r) => setTimeout(r, 300));
    process.kill(await sessionProcess(c, sshPort), 'SIGKILL');
    const err = (await running.catch((e: unknown) => e)) as ExecError;
    expect(err.name).toBe('ExecError');
    expect(err.kind).toBe('lost');
    expect(err.started).toBe(true);
    await waitForState(c, (s) => s.state === 'ready' && c.stats().connects === 2, 20_000);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'ready', 'offline', 'connecting', 'ready']);
    expect(states[2]?.reason).toBe('closed');
    expect(states[2]?.retryAt).not.toBeNull();
    expect((await c.exec(['echo', 'back'])).stdout).toBe('back\n');
  });

  it('a frozen server is noticed by keepalive (timeout), and the connection recovers', async () => {
    const sshPort = readCluster(name).sshPort;
    const c = testbedConnection(testbedCluster(name), { backoff: fastBackoff, keepaliveIntervalMs: 500, keepaliveCountMax: 2 });
    open.push(c);
    await c.exec(['true']);
    const pid = await sessionProcess(c, sshPort);
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      const offline = await waitForState(c, (s) => s.state === 'offline', 10_000);
      expect(offline.reason).toBe('timeout');
      expect(offline.message).toMatch(/keepalive/i);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      process.kill(pid, 'SIGKILL'); // the frozen session child of our own dead connection
    }
    await waitForState(c, (s) => s.state === 'ready', 20_000);
    expect((await c.exec(['true'])).code).toBe(0);
  });
});
