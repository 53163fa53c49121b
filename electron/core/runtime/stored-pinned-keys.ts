// The SSH layer's pinned-key port backed by the store's host_keys table.
import type { PinnedHostKey, PinnedHostKeyStore } from '../ssh/pinned-host-keys';
import type { HostKeysRepo } from '../store/host-keys-repo';

export class StoredPinnedKeys implements PinnedHostKeyStore {
  constructor(private readonly repo: HostKeysRepo) {}

  async list(host: string, port: number): Promise<PinnedHostKey[]> {
    return this.repo.forHost(host, port).map((k) => ({ host: k.host, port: k.port, keyType: k.keyType, key: k.key, pinnedAt: k.addedAt * 1000 }));
  }

  async pin(key: PinnedHostKey): Promise<void> {
    const existing = this.repo.forHost(key.host, key.port).find((k) => k.keyType === key.keyType);
    if (existing?.key.equals(key.key)) return;
    this.repo.pin(key.host, key.port, key.keyType, key.key, Math.floor(key.pinnedAt / 1000));
  }
}
