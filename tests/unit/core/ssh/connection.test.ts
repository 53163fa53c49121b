// ClusterConnection against a real SSH peer (ssh2 Server on 127.0.0.1): state machine, channel cap and
// FIFO queue, refused channels, output cap, timeouts, drop + reconnect with backoff, fail-fast offline,
// graceful close.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../../electron/core/ssh/backoff';
import { ClusterConnection, type ConnectionOptions, type ConnectionStatus } from '../../../../electron/core/ssh/connection';
import { SshError } from '../../../../electron/core/ssh/errors';
import { ExecError } from '../../../../electron/core/ssh/exec';
import { HostVerifier } from '../../../../electron/core/ssh/host-verifier';
import { InMemoryPinnedHostKeys } from '../../../../electron/core/ssh/pinned-host-keys';
import { clusterFor, knownHostsLine, ParkedScheduler, RecordingScheduler, TempDir } from './ssh-fixture';
import { makeKey, TestSshServer, type TestKey } from './ssh-test-server';

let dir: TempDir;
let userKey: TestKey;
let server: TestSshServer;
let conn: ClusterConnection | null;

async function startServer(options: ConstructorParameters<typeof TestSshServer>[0] = {}): Promise<TestSshServer> {
  return new TestSshServer({ users: { ops: { keys: [userKey] } }, ...options }).start();
}

function connection(extra: Partial<ConnectionOptions> = {}, cluster = clusterFor(server, { auth: { kind: 'key', identityFile: dir.write('id', userKey.private), hasPassphrase: false } })): ClusterConnection {
  const knownHosts = dir.write('known_hosts', knownHostsLine(server));
  const verifier = new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: null, knownHostsFiles: [knownHosts] });
  conn = new ClusterConnection(cluster, { verifier, scheduler: new ParkedScheduler(), ...extra });
  return conn;
}

function record(c: ClusterConnection): ConnectionStatus[] {
  const seen: ConnectionStatus[] = [];
  c.onState((s) => seen.push(s));
  return seen;
}

function waitFor(c: ClusterConnection, predicate: (s: ConnectionStatus) => boolean, timeoutMs = 5_000): Promise<ConnectionStatus> {
  if (predicate(c.status())) return Promise.resolve(c.status());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`state never matched; last ${JSON.stringify(c.status())}`)), timeoutMs);
    const off = c.onState((s) => {
      if (!predicate(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

beforeEach(async () => {
  dir = new TempDir();
  userKey = makeKey();
  server = await startServer();
  conn = null;
});

afterEach(async () => {
  await conn?.close(100);
  await server.stop();
  dir.remove();
});

describe('ClusterConnection: states and commands', () => {
  it('goes idle → connecting → ready and runs argv as an exec channel', async () => {
    const c = connection();
    const seen = record(c);
    expect(c.status().state).toBe('idle');
    const res = await c.exec(['echo', 'hello world']);
    expect(res).toMatchObject({ code: 0, stdout: 'hello world\n' });
    expect(seen.map((s) => s.state)).toEqual(['connecting', 'ready']);
    expect(server.commands).toEqual(["echo 'hello world'"]);
    expect(c.hostKeyTrust()?.[0]?.via).toBe('known-hosts');
  });

  it('keeps one connection for many commands', async () => {
    const c = connection();
    for (let i = 0; i < 5; i++) expect((await c.exec(['echo', String(i)])).stdout).toBe(`${i}\n`);
    expect(server.connections).toBe(1);
    expect(c.stats().connects).toBe(1);
  });

  it('reports a command that fails as a result, not an error', async () => {
    const c = connection();
    const res = await c.exec(['fail', '3', 'Invalid', 'job', 'id']);
    expect(res).toMatchObject({ code: 3, stderr: 'Invalid job id\n' });
    expect(c.status().state).toBe('ready');
  });

  it('runs at most maxChannels at once and serves the queue in FIFO order', async () => {
    const c = connection({ maxChannels: 3 });
    await c.connect();
    const runs = Array.from({ length: 10 }, (_, i) => c.exec(['sleep', String(40 + (i % 3) * 10)]));
    await Promise.all(runs);
    expect(server.peakSessions).toBe(3);
    expect(c.stats().peakChannels).toBe(3);

    const order = connection({ maxChannels: 1 });
    const done: number[] = [];
    await Promise.all([5, 4, 3, 2, 1].map((n, i) => order.exec(['sleep', String(n * 5)]).then(() => done.push(i))));
    expect(done).toEqual([0, 1, 2, 3, 4]);
    await order.close(100);
  });

  it('retries channels the server refuses (MaxSessions) instead of failing the command, and lowers its cap', async () => {
    await server.stop();
    server = await startServer({ maxSessions: 2 });
    const c = connection({ maxChannels: 6 });
    const seen = record(c);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => c.exec(['sleep', String(30 + i)])));
    expect(results.every((r) => r.code === 0 && r.stdout === 'slept\n')).toBe(true);
    expect(server.refusedSessions).toBeGreaterThan(0);
    expect(c.stats().channelRefusals).toBe(server.refusedSessions);
    expect(server.peakSessions).toBe(2);
    // The limit drops to what was open when refused: 2, or 1 when the server had not yet freed a session
    // we had just closed (sshd has the same window).
    expect(c.status()).toMatchObject({ state: 'degraded', reason: 'channels-refused' });
    expect(c.status().channelLimit).toBeLessThanOrEqual(2);
    expect(seen.some((s) => s.state === 'degraded')).toBe(true);
    // With the lowered cap a second burst is served without new refusals.
    const before = server.refusedSessions;
    await Promise.all(Array.from({ length: 6 }, () => c.exec(['echo', 'x'])));
    expect(server.refusedSessions).toBe(before);
  });

  it('raises a lowered channel limit again while the server stops refusing, and leaves degraded', async () => {
    await server.stop();
    server = await startServer({ maxSessions: 2 });
    const c = connection({ maxChannels: 3 });
    await Promise.all(Array.from({ length: 3 }, () => c.exec(['sleep', '30'])));
    expect(c.status().state).toBe('degraded');
    // The server now takes more sessions (an admin raised MaxSessions): 20 clean commands per step up.
    (server as unknown as { options: { maxSessions: number } }).options.maxSessions = 10;
    for (let i = 0; i < 45 && c.status().state === 'degraded'; i++) await c.exec(['echo', String(i)]);
    expect(c.status()).toMatchObject({ state: 'ready', channelLimit: 3 });
  });

  it('gives up on a channel the server refuses with none of ours open, as a typed error', async () => {
    await server.stop();
    server = await startServer({ maxSessions: 0 });
    const c = connection({ channelRetryAttempts: 2, channelRetryDelayMs: 5 });
    const err = await c.exec(['echo', 'x']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshError);
    expect((err as SshError).reason).toBe('channel-refused');
    expect(server.refusedSessions).toBe(3);
  });

  it('caps output: a command printing too much fails with too-large and the connection stays usable', async () => {
    const c = connection();
    const err = await c.exec(['big', '100000'], { maxBytes: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecError);
    expect((err as ExecError).kind).toBe('too-large');
    expect((await c.exec(['echo', 'ok'])).stdout).toBe('ok\n');
    expect(c.status().state).toBe('ready');
  });

  it('times a command out, marks the connection degraded, and recovers on the next success', async () => {
    const c = connection();
    await c.connect();
    const started = Date.now();
    const err = await c.exec(['hang'], { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((err as ExecError).kind).toBe('timeout');
    expect(c.status()).toMatchObject({ state: 'degraded', reason: 'command-timeout' });
    await c.exec(['echo', 'ok']);
    expect(c.status()).toMatchObject({ state: 'ready', reason: null });
  });

  it('counts queue wait against the deadline', async () => {
    const c = connection({ maxChannels: 1 });
    const blocker = c.exec(['sleep', '400']);
    const err = await c.exec(['echo', 'late'], { timeoutMs: 100 }).catch((e: unknown) => e);
    expect((err as ExecError).kind).toBe('timeout');
    expect((err as Error).message).toMatch(/did not get a channel/);
    expect((err as ExecError).started).toBe(false);
    await blocker;
    expect(server.commands).not.toContain('echo late');
  });

  it('reports a channel closed without exit status as lost, never as success', async () => {
    const c = connection();
    const err = await c.exec(['noexit']).catch((e: unknown) => e);
    expect((err as ExecError).kind).toBe('lost');
  });
});

describe('ClusterConnection: losing the connection', () => {
  it('fails the running command as lost, goes offline (closed) and reconnects with backoff', async () => {
    const scheduler = new RecordingScheduler();
    const c = connection({ scheduler, random: () => 0.5 });
    const seen = record(c);
    await c.connect();
    const running = c.exec(['sleep', '5000']);
    await new Promise((r) => setTimeout(r, 50));
    server.dropAll();
    const err = await running.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecError);
    expect((err as ExecError).kind).toBe('lost');
    expect((err as ExecError).started).toBe(true);
    await waitFor(c, (s) => s.state === 'ready' && c.stats().connects === 2);
    const states = seen.map((s) => `${s.state}${s.reason ? `:${s.reason}` : ''}`);
    expect(states).toEqual(['connecting', 'ready', 'offline:closed', 'connecting', 'ready']);
    expect(scheduler.delays).toEqual([backoffDelay(0, DEFAULT_BACKOFF, () => 0.5)]);
    expect((await c.exec(['echo', 'back'])).stdout).toBe('back\n');
  });

  it('backs off exponentially while the server refuses connections, then recovers', async () => {
    const scheduler = new RecordingScheduler();
    const c = connection({ scheduler, random: () => 0 });
    await c.connect();
    server.refuseConnections = true;
    server.dropAll();
    await waitFor(c, () => scheduler.delays.length >= 4);
    expect(scheduler.delays.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(c.status().failures).toBeGreaterThanOrEqual(3);
    server.refuseConnections = false;
    await waitFor(c, (s) => s.state === 'ready', 20_000);
    expect(c.status().failures).toBe(0);
  });

  it('fails a command issued while offline at once, with the offline reason', async () => {
    const c = connection(); // ParkedScheduler: the reconnect never fires by itself
    await c.connect();
    server.dropAll();
    await waitFor(c, (s) => s.state === 'offline');
    const started = Date.now();
    const err = await c.exec(['echo', 'x']).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(50);
    expect(err).toBeInstanceOf(SshError);
    expect((err as SshError).reason).toBe('closed');
    expect((err as Error).message).toMatch(/offline/);
    await c.connect();
    expect((await c.exec(['echo', 'y'])).stdout).toBe('y\n');
  });

  it('reports an unreachable port as unreachable and schedules a retry', async () => {
    await server.stop();
    const c = connection();
    const err = await c.connect().catch((e: unknown) => e);
    expect((err as SshError).reason).toBe('unreachable');
    expect(c.status()).toMatchObject({ state: 'offline', reason: 'unreachable', failures: 1 });
    expect(c.status().retryAt).not.toBeNull();
    server = await startServer(); // for afterEach
  });

  it('gives up on a server that accepts TCP but never speaks SSH: timeout, retried', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const held: net.Socket[] = [];
    silent.on('connection', (s) => held.push(s));
    try {
      const c = connection({ readyTimeoutMs: 300 }, { ...clusterFor(server, { auth: { kind: 'key', identityFile: dir.write('id', userKey.private), hasPassphrase: false } }), port });
      const started = Date.now();
      const err = (await c.connect().catch((e: unknown) => e)) as SshError;
      expect(err.reason).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(c.status().retryAt).not.toBeNull();
    } finally {
      for (const s of held) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('closes gracefully: running commands finish, queued ones fail, later calls fail', async () => {
    const c = connection({ maxChannels: 1 });
    await c.connect();
    const running = c.exec(['sleep', '100']);
    const queued = c.exec(['echo', 'never']);
    await new Promise((r) => setTimeout(r, 20));
    await c.close(2_000);
    expect((await running).stdout).toBe('slept\n');
    expect(((await queued.catch((e: unknown) => e)) as SshError).reason).toBe('closed-by-user');
    expect(c.status().state).toBe('closed');
    expect(((await c.exec(['echo', 'x']).catch((e: unknown) => e)) as SshError).reason).toBe('closed-by-user');
    expect(server.commands).not.toContain('echo never');
  });
});
