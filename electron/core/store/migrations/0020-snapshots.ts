// One row per collection from one cluster, and which kinds it holds. A snapshot is written in one
// transaction with all its rows, so a row here means the whole collection is there. `full` says whether
// the kind's per-snapshot rows are still kept (retention keeps them for the latest few snapshots only;
// older ones are answered from compact history: job/partition spans and node samples).
import type { Migration } from './migration';

export const migration: Migration = {
  version: 20,
  name: 'snapshots',
  sql: `
CREATE TABLE snapshots (
  id INTEGER PRIMARY KEY,
  cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('poll', 'import')),
  status TEXT NOT NULL CHECK (status IN ('ok', 'partial')),
  errors TEXT NOT NULL CHECK (json_valid(errors))
) STRICT;
CREATE INDEX snapshots_by_cluster ON snapshots (cluster_id, id);
CREATE INDEX snapshots_by_time ON snapshots (finished_at);

CREATE TABLE snapshot_kinds (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('nodes', 'partitions', 'queue', 'accounting', 'fairshare', 'priority', 'reservations', 'controller')),
  rows INTEGER NOT NULL,
  full INTEGER NOT NULL CHECK (full IN (0, 1)),
  PRIMARY KEY (snapshot_id, kind)
) STRICT, WITHOUT ROWID;
CREATE INDEX snapshot_kinds_by_kind ON snapshot_kinds (kind, snapshot_id);
CREATE INDEX snapshot_kinds_full ON snapshot_kinds (kind, snapshot_id) WHERE full = 1;
`,
};
