// The page-side SecretPrompt: a question becomes a `secret.prompt` event, the page's answer (or decline, or
// nothing until the timeout, or shutdown) settles it, "remember" only where a SecretStore can keep it —
// and no event ever carries the secret. Then the broker behind a real SSH peer: an encrypted key and a
// password, answered the way a page does, the right passphrase kept through the SecretStore.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SecretRequest, SecretStore } from '../../../../electron/core/ports';
import { NO_SECURE_STORAGE, SecretBroker } from '../../../../electron/core/runtime/secret-broker';
import { secretName } from '../../../../electron/core/ssh/auth';
import { ClusterConnection } from '../../../../electron/core/ssh/connection';
import type { SshError } from '../../../../electron/core/ssh/errors';
import { HostVerifier } from '../../../../electron/core/ssh/host-verifier';
import { InMemoryPinnedHostKeys } from '../../../../electron/core/ssh/pinned-host-keys';
import type { SecretPromptInfo } from '../../../../shared/api/methods/secrets';
import { clusterFor, knownHostsLine, MemorySecrets, ParkedScheduler, TempDir } from '../ssh/ssh-fixture';
import { makeKey, TestSshServer } from '../ssh/ssh-test-server';

const passphrase: SecretRequest = { kind: 'key-passphrase', cluster: 'alpha', identityFile: '/home/me/.ssh/id_ed25519', retry: false };
const password: SecretRequest = { kind: 'password', cluster: 'beta', user: 'me', host: 'login.example.org', port: 2222, retry: true };
const SECRET = 'correct horse battery staple';

type Event = [string, unknown];

function setup(options: { secrets?: SecretStore | null; timeoutMs?: number } = {}) {
  const events: Event[] = [];
  let n = 0;
  const broker = new SecretBroker((e, p) => events.push([e, p]), { timeoutMs: options.timeoutMs ?? 1000, clock: { now: () => 5_000 }, newId: () => `s${++n}`, secrets: options.secrets ?? null });
  /** The n-th prompt event (1-based), once ask() (which first checks the store) has emitted it. */
  const prompted = async (n = 1): Promise<SecretPromptInfo> => {
    const prompts = () => events.filter(([e]) => e === 'secret.prompt').map(([, p]) => p as SecretPromptInfo);
    await vi.waitFor(() => expect(prompts().length).toBeGreaterThanOrEqual(n));
    return prompts()[n - 1]!;
  };
  return { broker, events, prompted };
}

/** What would reach a page or a log: every event, serialized. */
const serialized = (events: Event[]) => JSON.stringify(events);

describe('SecretBroker', () => {
  it('emits the question without any secret and resolves with the page answer', async () => {
    const { broker, events, prompted } = setup();
    const answer = broker.ask(passphrase);
    const info = await prompted();
    expect(info).toEqual({ id: 's1', request: passphrase, expiresAt: 6_000, remember: { available: false, reason: NO_SECURE_STORAGE } });
    expect(broker.open().map((p) => p.id)).toEqual(['s1']);
    expect(broker.answer({ id: 's1', value: SECRET, remember: false })).toEqual({ accepted: true, remember: false });
    await expect(answer).resolves.toEqual({ value: SECRET, remember: false });
    expect(events.at(-1)).toEqual(['secret.settled', { id: 's1', by: 'user', outcome: 'answered' }]);
    expect(broker.open()).toEqual([]);
    expect(serialized(events)).not.toContain(SECRET);
  });

  it('passes the password question on as asked (user, host, port, retry) and nothing else', async () => {
    const { broker, prompted } = setup();
    void broker.ask({ ...password, extra: 'not for pages' } as SecretRequest);
    expect((await prompted()).request).toEqual(password);
    broker.close();
  });

  it('a declined question resolves null; a second answer (another page) or an unknown id is refused', async () => {
    const { broker, events, prompted } = setup();
    const answer = broker.ask(password);
    await prompted();
    expect(broker.answer({ id: 'nope', value: SECRET, remember: false })).toEqual({ accepted: false, remember: false });
    expect(broker.answer({ id: 's1', value: null, remember: true })).toEqual({ accepted: true, remember: false });
    expect(broker.answer({ id: 's1', value: SECRET, remember: false })).toEqual({ accepted: false, remember: false });
    await expect(answer).resolves.toBeNull();
    expect(events.at(-1)).toEqual(['secret.settled', { id: 's1', by: 'user', outcome: 'declined' }]);
    expect(serialized(events)).not.toContain(SECRET);
  });

  it('declines when nobody answers in time', async () => {
    vi.useFakeTimers();
    try {
      const { broker, events } = setup({ timeoutMs: 120_000 });
      const answer = broker.ask(passphrase);
      await vi.advanceTimersByTimeAsync(0); // ask() checks the store first
      expect(broker.open()).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(119_999);
      expect(broker.open()).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await expect(answer).resolves.toBeNull();
      expect(events.at(-1)).toEqual(['secret.settled', { id: 's1', by: 'timeout', outcome: 'declined' }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('close() declines every open question and any asked later, without a prompt', async () => {
    const { broker, events, prompted } = setup();
    const a = broker.ask(passphrase);
    await prompted();
    const b = broker.ask(password);
    await prompted(2);
    broker.close();
    await expect(Promise.all([a, b])).resolves.toEqual([null, null]);
    expect(events.filter(([e]) => e === 'secret.settled').map(([, p]) => p)).toEqual([
      { id: 's1', by: 'shutdown', outcome: 'declined' },
      { id: 's2', by: 'shutdown', outcome: 'declined' },
    ]);
    const count = events.length;
    await expect(broker.ask(passphrase)).resolves.toBeNull();
    expect(events).toHaveLength(count);
  });

  it('remember: honoured where a SecretStore can keep secrets, refused with the reason where it cannot', async () => {
    const able = setup({ secrets: new MemorySecrets() });
    const kept = able.broker.ask(passphrase);
    expect((await able.prompted()).remember).toEqual({ available: true, reason: null });
    expect(able.broker.answer({ id: 's1', value: SECRET, remember: true })).toEqual({ accepted: true, remember: true });
    await expect(kept).resolves.toEqual({ value: SECRET, remember: true });

    const reason = 'No system keyring is available (basic_text).';
    const refusing = Object.assign(new MemorySecrets(), { unavailableReason: async () => reason });
    const unable = setup({ secrets: refusing });
    const notKept = unable.broker.ask(passphrase);
    expect((await unable.prompted()).remember).toEqual({ available: false, reason });
    expect(unable.broker.answer({ id: 's1', value: SECRET, remember: true })).toEqual({ accepted: true, remember: false });
    await expect(notKept).resolves.toEqual({ value: SECRET, remember: false });

    const broken = Object.assign(new MemorySecrets(), { unavailableReason: () => Promise.reject(new Error('dbus is gone')) });
    const unknown = setup({ secrets: broken });
    void unknown.broker.ask(password);
    expect((await unknown.prompted()).remember).toEqual({ available: false, reason: 'the secure storage cannot be checked: dbus is gone' });
    unknown.broker.close();
  });
});

describe('SecretBroker behind a real SSH peer', () => {
  let dir: TempDir;
  let server: TestSshServer;
  const open: ClusterConnection[] = [];
  const pages: ReturnType<typeof setInterval>[] = [];
  const enc = makeKey('s3cret passphrase');

  beforeEach(async () => {
    dir = new TempDir();
    server = await new TestSshServer({ users: { ops: { keys: [enc] }, pw: { password: SECRET } } }).start();
  });
  afterEach(async () => {
    for (const t of pages.splice(0)) clearInterval(t);
    await Promise.all(open.splice(0).map((c) => c.close(100)));
    await server.stop();
    dir.remove();
  });

  function connection(broker: SecretBroker, secrets: SecretStore | null, auth: Parameters<typeof clusterFor>[1]['auth'], user: string): ClusterConnection {
    const verifier = new HostVerifier({ pinned: new InMemoryPinnedHostKeys(), prompt: null, knownHostsFiles: [dir.write('known_hosts', knownHostsLine(server))] });
    const c = new ClusterConnection(clusterFor(server, { auth, user }), { verifier, scheduler: new ParkedScheduler(), secretPrompt: broker, secrets });
    open.push(c);
    return c;
  }

  /** A page: answers each prompt in turn with the next of `answers` (value null: Cancel). */
  function page(broker: SecretBroker, answers: { value: string | null; remember: boolean }[]): SecretPromptInfo[] {
    const seen: SecretPromptInfo[] = [];
    const tick = setInterval(() => {
      for (const info of broker.open()) {
        if (seen.some((s) => s.id === info.id)) continue;
        seen.push(info);
        const next = answers.shift();
        if (next) broker.answer({ id: info.id, ...next });
      }
    }, 5);
    pages.push(tick);
    return seen;
  }

  it('an encrypted key: a wrong passphrase is asked again with retry, the right one remembered through the SecretStore only', async () => {
    const secrets = new MemorySecrets();
    const set = vi.spyOn(secrets, 'set');
    const events: Event[] = [];
    const broker = new SecretBroker((e, p) => events.push([e, p]), { secrets });
    const file = dir.write('id_enc', enc.private);
    const seen = page(broker, [
      { value: 'typo passphrase', remember: true },
      { value: 's3cret passphrase', remember: true },
    ]);
    const c = connection(broker, secrets, { kind: 'key', identityFile: file, hasPassphrase: true }, 'ops');
    expect((await c.exec(['echo', 'ok'])).code).toBe(0);
    expect(seen.map((s) => s.request)).toEqual([
      { kind: 'key-passphrase', cluster: 'unit', identityFile: file, retry: false },
      { kind: 'key-passphrase', cluster: 'unit', identityFile: file, retry: true },
    ]);
    // Kept once, under the key's name, and only the passphrase that worked.
    expect(set.mock.calls).toEqual([[secretName.keyPassphrase(file), 's3cret passphrase']]);
    expect(serialized(events)).not.toContain('s3cret passphrase');
    expect(serialized(events)).not.toContain('typo passphrase');
    broker.close();
  });

  it('a password: asked with user, host and port, logs in; declined: password-required and nothing kept', async () => {
    const events: Event[] = [];
    const broker = new SecretBroker((e, p) => events.push([e, p]));
    const seen = page(broker, [{ value: SECRET, remember: true }]);
    const c = connection(broker, null, { kind: 'password' }, 'pw');
    expect((await c.exec(['echo', 'ok'])).code).toBe(0);
    expect(seen.map((s) => s.request)).toEqual([{ kind: 'password', cluster: 'unit', user: 'pw', host: '127.0.0.1', port: server.port, retry: false }]);
    expect(seen[0]!.remember).toEqual({ available: false, reason: NO_SECURE_STORAGE });

    const declined = page(broker, [{ value: null, remember: false }]);
    const secrets = new MemorySecrets();
    const err = (await connection(broker, secrets, { kind: 'password' }, 'pw')
      .connect()
      .catch((e: unknown) => e)) as SshError;
    expect(declined).toHaveLength(1);
    expect(err.reason).toBe('password-required');
    expect(secrets.values.size).toBe(0);
    expect(serialized(events)).not.toContain(SECRET);
    broker.close();
  });

  it('a stored password the server refuses is not offered again: the next connect asks, saying the last one was wrong', async () => {
    const secrets = new MemorySecrets();
    await secrets.set(secretName.password('pw', '127.0.0.1', server.port), 'old password');
    const events: Event[] = [];
    const broker = new SecretBroker((e, p) => events.push([e, p]), { secrets });
    const seen = page(broker, [{ value: SECRET, remember: true }]);
    const c = connection(broker, secrets, { kind: 'password' }, 'pw');
    const refused = (await c.connect().catch((e: unknown) => e)) as SshError;
    expect(refused.reason).toBe('auth-failed');
    expect(seen).toEqual([]);
    await c.connect();
    expect(seen.map((s) => s.request)).toEqual([{ kind: 'password', cluster: 'unit', user: 'pw', host: '127.0.0.1', port: server.port, retry: true }]);
    expect(secrets.values.get(secretName.password('pw', '127.0.0.1', server.port))).toBe(SECRET);
    expect(serialized(events)).not.toContain(SECRET);
    broker.close();
  });
});
