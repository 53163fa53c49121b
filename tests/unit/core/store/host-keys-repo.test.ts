import { describe, expect, it } from 'vitest';
import { HostKeysRepo } from '../../../../electron/core/store/host-keys-repo';
import { storeWith } from './builders';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

describe('HostKeysRepo', () => {
  it('pins one key per host, port and type, with its OpenSSH SHA256 fingerprint', () => {
    const store = storeWith(tempDir(), []);
    const repo = new HostKeysRepo(store.db);
    const key = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl', 'base64');
    const pinned = repo.pin('Login.Example.org', 22, 'ssh-ed25519', key, 100);
    expect(pinned.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    repo.pin('login.example.org', 22, 'ecdsa-sha2-nistp256', Buffer.from('other'), 101);
    expect(repo.forHost('LOGIN.example.org', 22).map((k) => k.keyType)).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519']);
    expect(repo.forHost('login.example.org', 2222)).toEqual([]);
    // Re-pinning a type replaces the key (the caller confirmed the change).
    repo.pin('login.example.org', 22, 'ssh-ed25519', Buffer.from('new key'), 200);
    expect(repo.forHost('login.example.org', 22).find((k) => k.keyType === 'ssh-ed25519')?.key.toString()).toBe('new key');
    expect(repo.remove('login.example.org', 22, 'ssh-ed25519')).toBe(1);
    expect(repo.list()).toHaveLength(1);
    store.close();
  });
});
