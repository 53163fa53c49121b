// ProxyJump through real SSH peers: two and three hops, each hop's host key verified and each hop
// authenticated on its own; a hop that refuses forwarding or an unknown hop key stops the chain.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JumpHost } from '../../../../shared/model/cluster';
import { ClusterConnection } from '../../../../electron/core/ssh/connection';
import type { SshError } from '../../../../electron/core/ssh/errors';
import { HostVerifier } from '../../../../electron/core/ssh/host-verifier';
import { InMemoryPinnedHostKeys } from '../../../../electron/core/ssh/pinned-host-keys';
import { clusterFor, knownHostsLine, ParkedScheduler, ScriptedHostKeyPrompt, TempDir } from './ssh-fixture';
import { makeKey, TestSshServer, type TestKey } from './ssh-test-server';

let dir: TempDir;
let jumpKey: TestKey;
let targetKey: TestKey;
let servers: TestSshServer[];
const open: ClusterConnection[] = [];

beforeEach(() => {
  dir = new TempDir();
  jumpKey = makeKey();
  targetKey = makeKey();
  servers = [];
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close(100)));
  await Promise.all(servers.map((s) => s.stop()));
  dir.remove();
});

async function server(options: ConstructorParameters<typeof TestSshServer>[0]): Promise<TestSshServer> {
  const s = await new TestSshServer(options).start();
  servers.push(s);
  return s;
}

function hop(s: TestSshServer, user: string, key: TestKey): JumpHost {
  return { host: '127.0.0.1', port: s.port, user, identityFile: dir.write(`${user}-${s.port}`, key.private) };
}

function connection(target: TestSshServer, jump: JumpHost[], knownHosts: string, prompt: ScriptedHostKeyPrompt | null = null): ClusterConnection {
  const verifier = new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt, knownHostsFiles: [dir.write('known_hosts', knownHosts)] });
  const identityFile = dir.write('target-id', targetKey.private);
  const c = new ClusterConnection(clusterFor(target, { user: 'ops', auth: { kind: 'key', identityFile, hasPassphrase: false }, jump }), {
    verifier,
    scheduler: new ParkedScheduler(),
  });
  open.push(c);
  return c;
}

describe('ProxyJump', () => {
  it('reaches the target through one jump host that forwards to it', async () => {
    const bastion = await server({ users: { hopper: { keys: [jumpKey] } }, allowForwarding: true });
    const target = await server({ users: { ops: { keys: [targetKey] } } });
    const c = connection(target, [hop(bastion, 'hopper', jumpKey)], knownHostsLine(bastion) + knownHostsLine(target));
    expect((await c.exec(['echo', 'through'])).stdout).toBe('through\n');
    expect(bastion.forwards).toEqual([`127.0.0.1:${target.port}`]);
    expect(bastion.commands).toEqual([]);
    expect(target.commands).toEqual(['echo through']);
    expect(c.hostKeyTrust()?.map((t) => t.via)).toEqual(['known-hosts', 'known-hosts']);
  });

  it('chains three hops, each with its own user and key', async () => {
    const hopKey2 = makeKey();
    const first = await server({ users: { a: { keys: [jumpKey] } }, allowForwarding: true });
    const second = await server({ users: { b: { keys: [hopKey2] } }, allowForwarding: true });
    const target = await server({ users: { ops: { keys: [targetKey] } } });
    const c = connection(target, [hop(first, 'a', jumpKey), hop(second, 'b', hopKey2)], knownHostsLine(first) + knownHostsLine(second) + knownHostsLine(target));
    expect((await c.exec(['echo', 'deep'])).stdout).toBe('deep\n');
    expect(first.forwards).toEqual([`127.0.0.1:${second.port}`]);
    expect(second.forwards).toEqual([`127.0.0.1:${target.port}`]);
    expect([first.authenticated, second.authenticated, target.authenticated]).toEqual([1, 1, 1]);
  });

  it('asks about an unknown jump host key as the jump host; rejecting it never reaches the target', async () => {
    const bastion = await server({ users: { hopper: { keys: [jumpKey] } }, allowForwarding: true });
    const target = await server({ users: { ops: { keys: [targetKey] } } });
    const prompt = new ScriptedHostKeyPrompt('reject');
    const c = connection(target, [hop(bastion, 'hopper', jumpKey)], knownHostsLine(target), prompt);
    const err = (await c.connect().catch((e: unknown) => e)) as SshError;
    expect(err.reason).toBe('host-key-unknown-rejected');
    expect(err.hop?.role).toEqual({ jump: 0 });
    expect(err.message).toContain('jump host 1');
    expect(prompt.asked[0]?.role).toEqual({ jump: 0 });
    expect(bastion.authAttempts).toEqual([]);
    expect(target.connections).toBe(0);
  });

  it('verifies the target key too, through the tunnel', async () => {
    const bastion = await server({ users: { hopper: { keys: [jumpKey] } }, allowForwarding: true });
    const target = await server({ users: { ops: { keys: [targetKey] } } });
    const c = connection(target, [hop(bastion, 'hopper', jumpKey)], knownHostsLine(bastion) + knownHostsLine(target, makeKey()));
    const err = (await c.connect().catch((e: unknown) => e)) as SshError;
    expect(err.reason).toBe('host-key-changed');
    expect(err.hop?.role).toBe('target');
    expect(target.authAttempts).toEqual([]);
  });

  it('a jump host that refuses forwarding: jump-refused naming that hop', async () => {
    const bastion = await server({ users: { hopper: { keys: [jumpKey] } }, allowForwarding: false });
    const target = await server({ users: { ops: { keys: [targetKey] } } });
    const c = connection(target, [hop(bastion, 'hopper', jumpKey)], knownHostsLine(bastion) + knownHostsLine(target));
    const err = (await c.connect().catch((e: unknown) => e)) as SshError;
    // ssh2's server rejects with reason 2 (connect failed); OpenSSH with 1 (administratively prohibited).
    expect(['jump-refused', 'unreachable']).toContain(err.reason);
    expect(err.message).toContain(`hopper@127.0.0.1:${bastion.port}`);
    expect(target.connections).toBe(0);
  });

  it('a dropped jump host takes the connection offline', async () => {
    const bastion = await server({ users: { hopper: { keys: [jumpKey] } }, allowForwarding: true });
    const target = await server({ users: { ops: { keys: [targetKey] } } });
    const c = connection(target, [hop(bastion, 'hopper', jumpKey)], knownHostsLine(bastion) + knownHostsLine(target));
    await c.connect();
    bastion.dropAll();
    await new Promise<void>((resolve) => {
      const off = c.onState((s) => {
        if (s.state === 'offline') {
          off();
          resolve();
        }
      });
    });
    expect(c.status().reason).toBe('closed');
  });
});
