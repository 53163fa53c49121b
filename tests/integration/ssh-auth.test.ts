// Wrong user, wrong key, wrong host key against the real test-bed sshd: each a clear typed error, and the
// command we asked for never runs (it would create a marker file on the login node). Also the other auth
// paths against a real server: ssh-agent (a real ssh-agent we start) and an encrypted key.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, copyFileSync, chmodSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { secretName } from '../../electron/core/ssh/auth';
import type { ClusterConnection } from '../../electron/core/ssh/connection';
import type { SshError } from '../../electron/core/ssh/errors';
import type { SecretStore } from '../../electron/core/ports';
import { keyOf, knownHostsLineOf, testbedCluster, testbedConnection } from './ssh-helpers';

let tmp: string;
const open: ClusterConnection[] = [];

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'clusterops-ssh-it-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function track(c: ClusterConnection): ClusterConnection {
  open.push(c);
  return c;
}

/** Ask for a command that leaves a marker on alpha (which runs on this host), and expect it refused. */
async function refusedWithoutRunning(c: ClusterConnection): Promise<SshError> {
  const marker = path.join('/tmp', `clusterops-must-not-run-${process.pid}-${Date.now()}`);
  const err = (await c.exec(['touch', marker]).catch((e: unknown) => e)) as SshError;
  expect(err?.name).toBe('SshError');
  expect(existsSync(marker)).toBe(false);
  expect(c.status().state).toBe('offline');
  expect(c.status().retryAt).toBeNull(); // permanent: no retry loop hammering the server
  return err;
}

describe('clear errors and nothing run, against alpha', () => {
  it('a user the server does not know', async () => {
    const err = await refusedWithoutRunning(track(testbedConnection(testbedCluster('alpha', 'no-such-user', { auth: { kind: 'key', identityFile: keyOf('opsuser'), hasPassphrase: false } }))));
    expect(err.reason).toBe('auth-failed');
    expect(err.message).toContain('wrong user name "no-such-user"');
  });

  it('a real user whose authorized_keys lacks the key (alice)', async () => {
    const err = await refusedWithoutRunning(track(testbedConnection(testbedCluster('alpha', 'alice', { auth: { kind: 'key', identityFile: keyOf('opsuser'), hasPassphrase: false } }))));
    expect(err.reason).toBe('auth-failed');
    expect(err.message).toMatch(/alice@127\.0\.0\.1:\d+ refused the key .*opsuser \(SHA256:/);
    expect(err.message).toContain('The server accepts: publickey');
  });

  it('a key the server does not accept for that user', async () => {
    const stranger = path.join(tmp, 'stranger');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    const err = await refusedWithoutRunning(track(testbedConnection(testbedCluster('alpha', 'opsuser', { auth: { kind: 'key', identityFile: stranger, hasPassphrase: false } }))));
    expect(err.reason).toBe('auth-failed');
    expect(err.message).toContain(stranger);
  });

  it('a host key that differs from known_hosts: both fingerprints, refused before authentication', async () => {
    // Claim alpha's port has beta's key.
    const alphaPort = testbedCluster('alpha').port;
    const forged = knownHostsLineOf('beta').replace(/^\[127\.0\.0\.1\]:\d+/, `[127.0.0.1]:${alphaPort}`);
    const file = path.join(tmp, 'forged_known_hosts');
    writeFileSync(file, `${forged}\n`);
    const err = await refusedWithoutRunning(track(testbedConnection(testbedCluster('alpha', 'opsuser', { knownHostsFiles: [file] }))));
    expect(err.reason).toBe('host-key-changed');
    expect(err.hostKey?.known).toHaveLength(1);
    expect(err.hostKey?.presented).toMatch(/^SHA256:/);
    expect(err.hostKey?.presented).not.toBe(err.hostKey?.known[0]);
    expect(err.message).toContain(err.hostKey?.presented as string);
    expect(err.message).toContain(err.hostKey?.known[0] as string);
  });

  it('an unknown host key with no one to ask', async () => {
    const err = await refusedWithoutRunning(track(testbedConnection(testbedCluster('alpha', 'opsuser', { knownHostsFiles: [] }))));
    expect(err.reason).toBe('host-key-unknown-rejected');
    expect(err.message).toMatch(/--accept-host-key SHA256:/);
  });
});

describe('other auth methods against a real sshd', () => {
  let agent: ChildProcess | null = null;

  afterAll(() => {
    if (agent?.pid) process.kill(agent.pid, 'SIGTERM');
  });

  it('ssh-agent: a real agent holding the user key', async () => {
    const sock = path.join(tmp, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
    const added = spawnSync('ssh-add', [keyOf('opsuser')], { env: { ...process.env, SSH_AUTH_SOCK: sock }, encoding: 'utf8' });
    expect(added.status, added.stderr).toBe(0);
    for (const name of ['alpha', 'beta'] as const) {
      const c = track(testbedConnection(testbedCluster(name, 'opsuser', { auth: { kind: 'agent', socket: sock } })));
      expect((await c.exec(['id', '-un'])).stdout.trim()).toBe('opsuser');
    }
    const err = (await track(testbedConnection(testbedCluster('alpha', 'opscoord', { auth: { kind: 'agent', socket: sock } }))).connect().catch((e: unknown) => e)) as SshError;
    expect(err.reason).toBe('auth-failed');
    expect(err.message).toContain('all 1 key(s) in ssh-agent');
  });

  it('an encrypted copy of the user key: needs the passphrase, works with it', async () => {
    const enc = path.join(tmp, 'opsuser-encrypted');
    copyFileSync(keyOf('opsuser'), enc);
    chmodSync(enc, 0o600);
    const re = spawnSync('ssh-keygen', ['-q', '-p', '-N', 'pass phrase', '-f', enc], { encoding: 'utf8' });
    expect(re.status, re.stderr).toBe(0);
    const auth = { kind: 'key' as const, identityFile: enc, hasPassphrase: true };
    const none = (await track(testbedConnection(testbedCluster('alpha', 'opsuser', { auth }))).connect().catch((e: unknown) => e)) as SshError;
    expect(none.reason).toBe('passphrase-required');
    const values = new Map([[secretName.keyPassphrase(enc), 'pass phrase']]);
    const secrets: SecretStore = { get: async (n) => values.get(n) ?? null, set: async () => undefined, delete: async () => undefined };
    const c = track(testbedConnection(testbedCluster('alpha', 'opsuser', { auth }), { secrets }));
    expect((await c.exec(['id', '-un'])).stdout.trim()).toBe('opsuser');
  });
});
