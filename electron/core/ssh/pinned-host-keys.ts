// Host keys the user accepted inside the app ("accept and pin"). The SQLite store will back this interface
// (table host_keys); until then, and in tests, the in-memory implementation below does.

export interface PinnedHostKey {
  host: string;
  port: number;
  keyType: string;
  /** The SSH public key blob as the server sent it. */
  key: Buffer;
  /** Epoch ms. */
  pinnedAt: number;
}

export interface PinnedHostKeyStore {
  /** Keys pinned for exactly this host name and port. */
  list(host: string, port: number): Promise<PinnedHostKey[]>;
  /** Add a key; pinning the same host, port and key again is a no-op. */
  pin(key: PinnedHostKey): Promise<void>;
}

export class InMemoryPinnedHostKeys implements PinnedHostKeyStore {
  private readonly keys: PinnedHostKey[] = [];

  async list(host: string, port: number): Promise<PinnedHostKey[]> {
    const h = host.toLowerCase();
    return this.keys.filter((k) => k.host.toLowerCase() === h && k.port === port).map((k) => ({ ...k }));
  }

  async pin(key: PinnedHostKey): Promise<void> {
    const h = key.host.toLowerCase();
    if (this.keys.some((k) => k.host.toLowerCase() === h && k.port === key.port && k.key.equals(key.key))) return;
    this.keys.push({ ...key, key: Buffer.from(key.key) });
  }
}
