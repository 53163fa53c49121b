// The safeStorage SecretStore: refuses where it cannot really encrypt (basic_text, no key), keeps each
// secret in a 0600 file tagged with its scheme, and never writes the secret itself.
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { SECRET_SCHEME, SafeSecretStore, SecretStoreUnavailableError } from '../../../electron/shell/secret-store';

type Backend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

/** A safeStorage whose "encryption" is a reversible byte XOR (enough to tell ciphertext from plaintext). */
function fakeSafeStorage(backend: Backend, available = true) {
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    calls: { encrypt: 0 },
    rotate: false,
    getSelectedStorageBackend: () => backend,
    isAsyncEncryptionAvailable: async () => available,
    async encryptStringAsync(plain: string) {
      this.calls.encrypt++;
      return xor(Buffer.from(`v1:${plain}`));
    },
    async decryptStringAsync(cipher: Buffer) {
      return { result: xor(cipher).toString().replace(/^v1:/, ''), shouldReEncrypt: this.rotate };
    },
  };
}

let dir: string;
beforeEach(() => {
  dir = path.join(mkdtempSync(path.join(tmpdir(), 'clusterops-secrets-')), 'secrets');
});

describe('SafeSecretStore', () => {
  it('refuses basic_text on Linux with a message pointing to ssh-agent, and writes nothing', async () => {
    const storage = fakeSafeStorage('basic_text');
    const store = new SafeSecretStore({ safeStorage: storage, dir, platform: 'linux' });
    const refused = store.set('password:me@hpc:22', 'hunter2');
    await expect(refused).rejects.toBeInstanceOf(SecretStoreUnavailableError);
    await expect(refused).rejects.toThrow(/basic_text.*ssh-agent/s);
    expect(storage.calls.encrypt).toBe(0);
    expect(() => readdirSync(dir)).toThrow(/ENOENT/);
    expect(await store.unavailableReason()).toMatch(/ssh-add/);
  });

  it('refuses when safeStorage cannot encrypt at all', async () => {
    const store = new SafeSecretStore({ safeStorage: fakeSafeStorage('gnome_libsecret', false), dir, platform: 'linux' });
    await expect(store.set('x', 'y')).rejects.toThrow(/encryption unavailable.*ssh-agent/s);
    const mac = new SafeSecretStore({ safeStorage: fakeSafeStorage('unknown', false), dir, platform: 'darwin' });
    await expect(mac.set('x', 'y')).rejects.toThrow(/cannot encrypt/);
  });

  it('does not read back a stored secret once the keyring is basic_text', async () => {
    await new SafeSecretStore({ safeStorage: fakeSafeStorage('kwallet5'), dir, platform: 'linux' }).set('k', 'v');
    const degraded = new SafeSecretStore({ safeStorage: fakeSafeStorage('basic_text'), dir, platform: 'linux' });
    await expect(degraded.get('k')).rejects.toBeInstanceOf(SecretStoreUnavailableError);
    expect(await degraded.get('never-stored')).toBeNull();
  });

  it('stores ciphertext tagged with its scheme in a 0600 file inside a 0700 folder, and reads it back', async () => {
    const store = new SafeSecretStore({ safeStorage: fakeSafeStorage('gnome_libsecret'), dir, platform: 'linux' });
    await store.set('passphrase:/home/me/.ssh/id_ed25519', 'correct horse');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.json$/); // the name of the secret is not in the file name
    const file = path.join(dir, files[0]!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toEqual({ scheme: SECRET_SCHEME, data: expect.any(String) });
    expect(text).not.toContain('correct horse');
    expect(Buffer.from(JSON.parse(text).data, 'base64').toString()).not.toContain('correct horse');
    expect(await store.get('passphrase:/home/me/.ssh/id_ed25519')).toBe('correct horse');
    expect(await store.get('other')).toBeNull();
    await store.delete('passphrase:/home/me/.ssh/id_ed25519');
    expect(await store.get('passphrase:/home/me/.ssh/id_ed25519')).toBeNull();
    await store.delete('never-stored');
  });

  it('ignores the Linux backend elsewhere (macOS Keychain, Windows DPAPI)', async () => {
    const store = new SafeSecretStore({ safeStorage: fakeSafeStorage('basic_text'), dir, platform: 'win32' });
    await store.set('a', 'b');
    expect(await store.get('a')).toBe('b');
  });

  it('refuses a file of an unknown scheme instead of guessing', async () => {
    const store = new SafeSecretStore({ safeStorage: fakeSafeStorage('kwallet6'), dir, platform: 'linux' });
    await store.set('a', 'b');
    const file = path.join(dir, readdirSync(dir)[0]!);
    writeFileSync(file, JSON.stringify({ scheme: 'plain', data: 'b' }));
    await expect(store.get('a')).rejects.toThrow(/unknown format \(plain\)/);
  });

  it('re-encrypts when the keyring says its key rotated', async () => {
    const storage = fakeSafeStorage('kwallet6');
    const store = new SafeSecretStore({ safeStorage: storage, dir, platform: 'linux' });
    await store.set('a', 'b');
    storage.rotate = true;
    expect(await store.get('a')).toBe('b');
    expect(storage.calls.encrypt).toBe(2);
  });
});
