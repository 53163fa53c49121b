// Authentication against a real SSH peer: key files (plain and encrypted, passphrase from the SecretStore
// or the prompt), passwords, and the clear errors for a wrong user, a wrong key, a missing or wrong
// passphrase, a missing key file and a missing agent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterAuth } from '../../../../shared/model/cluster';
import { secretName } from '../../../../electron/core/ssh/auth';
import { ClusterConnection, type ConnectionOptions } from '../../../../electron/core/ssh/connection';
import type { SshError } from '../../../../electron/core/ssh/errors';
import { HostVerifier } from '../../../../electron/core/ssh/host-verifier';
import { fingerprintSha256 } from '../../../../electron/core/ssh/known-hosts';
import { InMemoryPinnedHostKeys } from '../../../../electron/core/ssh/pinned-host-keys';
import { clusterFor, knownHostsLine, MemorySecrets, ParkedScheduler, ScriptedSecretPrompt, TempDir } from './ssh-fixture';
import { makeKey, TestSshServer, type TestKey } from './ssh-test-server';

let dir: TempDir;
let userKey: TestKey;
let server: TestSshServer;
const open: ClusterConnection[] = [];

function connection(auth: ClusterAuth, extra: Partial<ConnectionOptions> = {}, user = 'ops'): ClusterConnection {
  const verifier = new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: null, knownHostsFiles: [dir.write('known_hosts', knownHostsLine(server))] });
  const c = new ClusterConnection(clusterFor(server, { auth, user }), { verifier, scheduler: new ParkedScheduler(), ...extra });
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
  server = await new TestSshServer({ users: { ops: { keys: [userKey] }, pw: { password: 'correct horse' } } }).start();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close(100)));
  await server.stop();
  dir.remove();
});

describe('key file authentication', () => {
  it('logs in with the key', async () => {
    const c = connection({ kind: 'key', identityFile: dir.write('id', userKey.private), hasPassphrase: false });
    expect((await c.exec(['echo', 'in'])).stdout).toBe('in\n');
  });

  it('a wrong key: auth-failed naming the user, the key and its fingerprint; nothing runs; no retry', async () => {
    const other = makeKey();
    const file = dir.write('other', other.private);
    const c = connection({ kind: 'key', identityFile: file, hasPassphrase: false });
    const err = await failure(c);
    expect(err.reason).toBe('auth-failed');
    expect(err.message).toContain(file);
    expect(err.message).toContain(fingerprintSha256(other.blob));
    expect(err.message).toContain('wrong user name "ops"');
    expect(err.message).toContain('The server accepts: publickey, password');
    expect(server.commands).toEqual([]);
    expect(c.status()).toMatchObject({ state: 'offline', reason: 'auth-failed', retryAt: null });
  });

  it('a wrong user: auth-failed naming that user', async () => {
    const c = connection({ kind: 'key', identityFile: dir.write('id', userKey.private), hasPassphrase: false }, {}, 'nosuchuser');
    const err = await failure(c);
    expect(err.reason).toBe('auth-failed');
    expect(err.message).toContain('nosuchuser@127.0.0.1');
    expect(server.authenticated).toBe(0);
  });

  it('a missing key file: key-unreadable, and no connection is even opened', async () => {
    const err = await failure(connection({ kind: 'key', identityFile: `${dir.path}/nope`, hasPassphrase: false }));
    expect(err.reason).toBe('key-unreadable');
    expect(err.message).toContain(`${dir.path}/nope`);
    expect(server.connections).toBe(0);
  });

  it('a public key given as identity file: key-unreadable with the reason', async () => {
    const err = await failure(connection({ kind: 'key', identityFile: dir.write('id.pub', userKey.public), hasPassphrase: false }));
    expect(err.reason).toBe('key-unreadable');
    expect(err.message).toMatch(/public key/);
  });
});

describe('encrypted keys', () => {
  let enc: TestKey;
  let file: string;
  beforeEach(async () => {
    enc = makeKey('s3cret passphrase');
    await server.stop();
    server = await new TestSshServer({ users: { ops: { keys: [enc] } } }).start();
    file = dir.write('id_enc', enc.private);
  });

  it('without a passphrase anywhere: passphrase-required, before any connection', async () => {
    const err = await failure(connection({ kind: 'key', identityFile: file, hasPassphrase: true }));
    expect(err.reason).toBe('passphrase-required');
    expect(err.message).toContain(file);
    expect(server.connections).toBe(0);
  });

  it('takes the passphrase from the SecretStore', async () => {
    const secrets = new MemorySecrets();
    await secrets.set(secretName.keyPassphrase(file), 's3cret passphrase');
    const c = connection({ kind: 'key', identityFile: file, hasPassphrase: true }, { secrets });
    expect((await c.exec(['echo', 'ok'])).code).toBe(0);
  });

  it('asks the prompt after a wrong stored passphrase, keeps the right one if asked to, and reconnects without asking', async () => {
    const secrets = new MemorySecrets();
    await secrets.set(secretName.keyPassphrase(file), 'stale');
    const prompt = new ScriptedSecretPrompt([{ value: 'typo', remember: true }, { value: 's3cret passphrase', remember: true }]);
    const c = connection({ kind: 'key', identityFile: file, hasPassphrase: true }, { secrets, secretPrompt: prompt });
    await c.connect();
    expect(prompt.asked.map((r) => r.retry)).toEqual([true, true]);
    expect(prompt.asked[0]).toMatchObject({ kind: 'key-passphrase', cluster: 'unit', identityFile: file });
    expect(secrets.values.get(secretName.keyPassphrase(file))).toBe('s3cret passphrase');
    server.dropAll();
    await new Promise((r) => setTimeout(r, 50));
    await c.connect();
    expect(prompt.asked).toHaveLength(2);
  });

  it('a wrong passphrase and a declining prompt: bad-passphrase', async () => {
    const prompt = new ScriptedSecretPrompt([{ value: 'wrong', remember: false }, null]);
    const err = await failure(connection({ kind: 'key', identityFile: file, hasPassphrase: true }, { secretPrompt: prompt }));
    expect(err.reason).toBe('bad-passphrase');
    expect(server.connections).toBe(0);
  });
});

describe('password and agent', () => {
  it('logs in with the password from the SecretStore', async () => {
    const secrets = new MemorySecrets();
    await secrets.set(secretName.password('pw', '127.0.0.1', server.port), 'correct horse');
    const c = connection({ kind: 'password' }, { secrets }, 'pw');
    expect((await c.exec(['echo', 'pw'])).stdout).toBe('pw\n');
    expect(server.authAttempts).toEqual(['password']);
  });

  it('a wrong password: auth-failed that says so', async () => {
    const prompt = new ScriptedSecretPrompt([{ value: 'wrong', remember: false }]);
    const err = await failure(connection({ kind: 'password' }, { secretPrompt: prompt }, 'pw'));
    expect(err.reason).toBe('auth-failed');
    expect(err.message).toContain('a wrong password');
  });

  it('no password anywhere: password-required', async () => {
    const err = await failure(connection({ kind: 'password' }, {}, 'pw'));
    expect(err.reason).toBe('password-required');
  });

  it('no ssh-agent: agent-unavailable that says SSH_AUTH_SOCK is not set', async () => {
    const err = await failure(connection({ kind: 'agent' }, { env: {} }));
    expect(err.reason).toBe('agent-unavailable');
    expect(err.message).toContain('SSH_AUTH_SOCK');
  });

  it('an agent socket path that is not a socket: agent-unavailable', async () => {
    const err = await failure(connection({ kind: 'agent', socket: dir.write('not-a-socket', '') }));
    expect(err.reason).toBe('agent-unavailable');
    expect(err.message).toContain('not a socket');
  });
});
