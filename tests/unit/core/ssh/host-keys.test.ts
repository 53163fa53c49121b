// Host-key checks during a real SSH handshake (ssh2 Server on 127.0.0.1): known, unknown (prompted,
// accepted once / pinned / rejected), changed and revoked keys. A refused key stops the handshake before
// authentication, so the server never sees a login attempt and nothing runs.
import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostKeyPrompt } from '../../../../electron/core/ports';
import { ClusterConnection } from '../../../../electron/core/ssh/connection';
import type { SshError } from '../../../../electron/core/ssh/errors';
import { HostVerifier } from '../../../../electron/core/ssh/host-verifier';
import { fingerprintSha256 } from '../../../../electron/core/ssh/known-hosts';
import { InMemoryPinnedHostKeys } from '../../../../electron/core/ssh/pinned-host-keys';
import { clusterFor, knownHostsLine, ParkedScheduler, ScriptedHostKeyPrompt, TempDir } from './ssh-fixture';
import { makeKey, TestSshServer, type TestKey } from './ssh-test-server';

let dir: TempDir;
let userKey: TestKey;
let server: TestSshServer;
const open: ClusterConnection[] = [];

function connect(verifier: HostVerifier, extraKnownHosts: string[] = [], readyTimeoutMs?: number): ClusterConnection {
  const identityFile = dir.write('id', userKey.private);
  const c = new ClusterConnection(clusterFor(server, { auth: { kind: 'key', identityFile, hasPassphrase: false }, knownHostsFiles: extraKnownHosts }), {
    verifier,
    scheduler: new ParkedScheduler(),
    readyTimeoutMs,
  });
  open.push(c);
  return c;
}

async function failure(c: ClusterConnection): Promise<SshError> {
  return (await c.connect().then(
    () => {
      throw new Error('connected although it should not have');
    },
    (e: unknown) => e,
  )) as SshError;
}

beforeEach(async () => {
  dir = new TempDir();
  userKey = makeKey();
  server = await new TestSshServer({ users: { ops: { keys: [userKey] } } }).start();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close(100)));
  await server.stop();
  dir.remove();
});

describe('host key verification', () => {
  it('trusts a key listed in a user known_hosts file, and one from the cluster’s extra file', async () => {
    const userFile = dir.write('known_hosts', knownHostsLine(server));
    const a = connect(new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: null, knownHostsFiles: [userFile] }));
    await a.connect();
    expect(a.hostKeyTrust()?.[0]).toMatchObject({ via: 'known-hosts', source: `${userFile}:1`, fingerprint: fingerprintSha256(server.hostKey.blob) });

    const extra = dir.write('cluster_known_hosts', knownHostsLine(server));
    const b = connect(new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: null, knownHostsFiles: [dir.path + '/missing'] }), [extra]);
    await b.connect();
    expect(b.hostKeyTrust()?.[0]?.source).toBe(`${extra}:1`);
  });

  it('asks about an unknown key with its SHA256 fingerprint; rejecting it stops before authentication', async () => {
    const prompt = new ScriptedHostKeyPrompt('reject');
    const c = connect(new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt, knownHostsFiles: [] }));
    const err = await failure(c);
    expect(err.reason).toBe('host-key-unknown-rejected');
    expect(err.message).toContain(fingerprintSha256(server.hostKey.blob));
    expect(prompt.asked).toEqual([
      expect.objectContaining({ cluster: 'unit', host: '127.0.0.1', port: server.port, role: 'target', keyType: 'ssh-ed25519', fingerprint: fingerprintSha256(server.hostKey.blob) }),
    ]);
    expect(server.authAttempts).toEqual([]);
    expect(server.commands).toEqual([]);
    expect(c.status()).toMatchObject({ state: 'offline', reason: 'host-key-unknown-rejected', retryAt: null });
    const exec = (await c.exec(['echo', 'x']).catch((e: unknown) => e)) as SshError;
    expect(exec.reason).toBe('host-key-unknown-rejected');
  });

  it('without a prompt, refuses an unknown key and says how to accept it', async () => {
    const err = await failure(connect(new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: null, knownHostsFiles: [] })));
    expect(err.reason).toBe('host-key-unknown-rejected');
    expect(err.message).toContain(`--accept-host-key ${fingerprintSha256(server.hostKey.blob)}`);
  });

  it('accept-and-pin stores the key, so the next connection is not asked again', async () => {
    const pinned = new InMemoryPinnedHostKeys();
    const prompt = new ScriptedHostKeyPrompt('accept-and-pin');
    const first = connect(new HostVerifier({ pinned, prompt, knownHostsFiles: [] }));
    await first.connect();
    expect(first.hostKeyTrust()?.[0]?.via).toBe('accepted-and-pinned');
    expect(await pinned.list('127.0.0.1', server.port)).toEqual([expect.objectContaining({ keyType: 'ssh-ed25519', key: server.hostKey.blob })]);

    const again = new ScriptedHostKeyPrompt('reject');
    const second = connect(new HostVerifier({ pinned, prompt: again, knownHostsFiles: [] }));
    await second.connect();
    expect(second.hostKeyTrust()?.[0]?.via).toBe('pinned');
    expect(again.asked).toEqual([]);
  });

  it('accept-once trusts the key for this verifier (reconnects) but pins nothing', async () => {
    const pinned = new InMemoryPinnedHostKeys();
    const prompt = new ScriptedHostKeyPrompt('accept-once');
    const verifier = new HostVerifier({ pinned, prompt, knownHostsFiles: [] });
    const c = connect(verifier);
    await c.connect();
    expect(c.hostKeyTrust()?.[0]?.via).toBe('accepted-once');
    server.dropAll();
    await new Promise((r) => setTimeout(r, 50));
    await c.connect();
    expect(prompt.asked).toHaveLength(1);
    expect(await pinned.list('127.0.0.1', server.port)).toEqual([]);
  });

  it('refuses a changed key with both fingerprints, before authentication', async () => {
    const old = makeKey();
    const file = dir.write('known_hosts', knownHostsLine(server, old));
    const prompt = new ScriptedHostKeyPrompt('accept-and-pin');
    const err = await failure(connect(new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt, knownHostsFiles: [file] })));
    expect(err.reason).toBe('host-key-changed');
    expect(err.message).toContain(fingerprintSha256(server.hostKey.blob));
    expect(err.message).toContain(fingerprintSha256(old.blob));
    expect(err.message).toContain(`${file}:1`);
    expect(err.hostKey).toEqual({ presented: fingerprintSha256(server.hostKey.blob), known: [fingerprintSha256(old.blob)], sources: [`${file}:1`] });
    expect(prompt.asked).toEqual([]); // a changed key is never offered for acceptance
    expect(server.authAttempts).toEqual([]);
  });

  it('refuses a key a pinned entry contradicts, too', async () => {
    const pinned = new InMemoryPinnedHostKeys();
    const old = makeKey();
    await pinned.pin({ host: '127.0.0.1', port: server.port, keyType: 'ssh-ed25519', key: old.blob, pinnedAt: 0 });
    const err = await failure(connect(new HostVerifier({ pinned, prompt: null, knownHostsFiles: [] })));
    expect(err.reason).toBe('host-key-changed');
    expect(err.hostKey?.sources).toEqual(['app pinned keys']);
  });

  it('refuses a @revoked key even when another line trusts it', async () => {
    const file = dir.write('known_hosts', knownHostsLine(server) + knownHostsLine(server, server.hostKey, '@revoked').replace(`[127.0.0.1]:${server.port}`, '*'));
    const err = await failure(connect(new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: new ScriptedHostKeyPrompt('accept-once'), knownHostsFiles: [file] })));
    expect(err.reason).toBe('host-key-revoked');
    expect(err.message).toContain(`${file}:2`);
    expect(server.authAttempts).toEqual([]);
  });

  it('fails closed when a known_hosts file exists but cannot be read', async () => {
    const err = await failure(connect(new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: new ScriptedHostKeyPrompt('accept-once'), knownHostsFiles: [dir.path] })));
    expect(err.reason).toBe('known-hosts-unreadable');
    expect(server.authAttempts).toEqual([]);
  });

  it('does not count the time the user spends on the prompt against the handshake timeout', async () => {
    const slow: HostKeyPrompt = { ask: () => new Promise((r) => setTimeout(() => r('accept-once'), 700)) };
    const c = connect(new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: slow, knownHostsFiles: [] }), [], 400);
    await c.connect();
    expect(c.hostKeyTrust()?.[0]?.via).toBe('accepted-once');
  });

  it('looks a mixed-case host name up lower-cased, as ssh does, also in hashed known_hosts entries', async () => {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('[login.example.org]:2222').digest();
    const file = dir.write('known_hosts', `|1|${salt.toString('base64')}|${hash.toString('base64')} ${server.hostKey.public.trim().split(' ').slice(0, 2).join(' ')}\n`);
    const verifier = new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: null, knownHostsFiles: [file] });
    const hop = { host: 'Login.Example.ORG', port: 2222, user: 'ops', role: 'target' as const };
    expect(await verifier.verify({ cluster: 'unit', hop, extraKnownHostsFiles: [] }, server.hostKey.blob)).toMatchObject({ via: 'known-hosts', source: `${file}:1` });
  });

  it('offers the known key type first, so a host with several keys is not reported as unknown', async () => {
    // The server has an ed25519 key; known_hosts lists it. ssh2 would pick ed25519 anyway, so check the
    // preference list the verifier builds for a host known only by an RSA key instead.
    const rsaLine = `[127.0.0.1]:${server.port} ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7\n`;
    const file = dir.write('known_hosts', rsaLine);
    const verifier = new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: null, knownHostsFiles: [file] });
    const hop = { host: '127.0.0.1', port: server.port, user: 'ops', role: 'target' as const };
    expect(await verifier.preferredAlgorithms({ cluster: 'unit', hop, extraKnownHostsFiles: [] })).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });
});
