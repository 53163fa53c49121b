// Settings (JSON values by key: retention, UI preferences) and the SSH host keys the user pinned in the
// app, one per host, port and key type (a server has one key per type; a different key of a pinned type
// is a changed key and is refused by the SSH layer).
import type { Migration } from './migration';

export const migration: Migration = {
  version: 70,
  name: 'settings-and-host-keys',
  sql: `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value)),
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE host_keys (
  host TEXT NOT NULL,
  port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  key_type TEXT NOT NULL,
  key BLOB NOT NULL,
  fingerprint TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  cluster_id INTEGER REFERENCES clusters (id) ON DELETE SET NULL,
  PRIMARY KEY (host, port, key_type)
) STRICT;
`,
};
