// Host keys the user accepted in the app (trust on first use, or --accept-host-key), one per host, port and
// key type. The SSH layer decides trust; this only stores and finds pinned keys.
import type Database from 'better-sqlite3';
import { fingerprintSha256 } from '../ssh/known-hosts';

export interface PinnedKey {
  host: string;
  port: number;
  keyType: string;
  key: Buffer;
  /** `SHA256:<base64 without padding>`, as OpenSSH prints it. */
  fingerprint: string;
  addedAt: number;
  clusterId: number | null;
}

interface Row {
  host: string;
  port: number;
  key_type: string;
  key: Buffer;
  fingerprint: string;
  added_at: number;
  cluster_id: number | null;
}

const toKey = (r: Row): PinnedKey => ({ host: r.host, port: r.port, keyType: r.key_type, key: r.key, fingerprint: r.fingerprint, addedAt: r.added_at, clusterId: r.cluster_id });

export class HostKeysRepo {
  constructor(private readonly db: Database.Database) {}

  /** Pin a key (replacing a previous key of the same type: the caller has confirmed the change). */
  pin(host: string, port: number, keyType: string, key: Buffer, now: number, clusterId: number | null = null): PinnedKey {
    const fingerprint = fingerprintSha256(key);
    this.db
      .prepare(`INSERT INTO host_keys (host, port, key_type, key, fingerprint, added_at, cluster_id) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (host, port, key_type) DO UPDATE SET key = excluded.key, fingerprint = excluded.fingerprint,
                added_at = excluded.added_at, cluster_id = excluded.cluster_id`)
      .run(host.toLowerCase(), port, keyType, key, fingerprint, now, clusterId);
    return { host: host.toLowerCase(), port, keyType, key, fingerprint, addedAt: now, clusterId };
  }

  /** Pinned keys of a host and port (host names compare case-insensitively, as OpenSSH does). */
  forHost(host: string, port: number): PinnedKey[] {
    return (this.db.prepare('SELECT * FROM host_keys WHERE host = ? AND port = ? ORDER BY key_type').all(host.toLowerCase(), port) as Row[]).map(toKey);
  }

  list(): PinnedKey[] {
    return (this.db.prepare('SELECT * FROM host_keys ORDER BY host, port, key_type').all() as Row[]).map(toKey);
  }

  remove(host: string, port: number, keyType?: string): number {
    if (keyType === undefined) return this.db.prepare('DELETE FROM host_keys WHERE host = ? AND port = ?').run(host.toLowerCase(), port).changes;
    return this.db.prepare('DELETE FROM host_keys WHERE host = ? AND port = ? AND key_type = ?').run(host.toLowerCase(), port, keyType).changes;
  }
}
