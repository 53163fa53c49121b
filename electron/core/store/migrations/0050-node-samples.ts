// Node history, compact: one row per node per UTC day holding 288 five-minute samples in one BLOB (layout
// in node-sample-codec.ts: state code, GPUs allocated, GPUs total, reason slot; 8 bytes each), so 30 days
// of 1,000 nodes are 30,000 rows of ~2.3 KB. State labels and drain/down reasons are dictionary-coded:
// states globally (there are few), reasons per row through a small list of node_reasons ids.
import type { Migration } from './migration';

export const migration: Migration = {
  version: 50,
  name: 'node-samples',
  sql: `
CREATE TABLE node_names (
  id INTEGER PRIMARY KEY,
  cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  UNIQUE (cluster_id, name)
) STRICT;

CREATE TABLE node_state_codes (
  code INTEGER PRIMARY KEY CHECK (code BETWEEN 1 AND 65535),
  state TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE node_reasons (
  id INTEGER PRIMARY KEY,
  reason TEXT NOT NULL,
  reason_user TEXT NOT NULL,
  UNIQUE (reason, reason_user)
) STRICT;

CREATE TABLE node_samples (
  node_id INTEGER NOT NULL REFERENCES node_names (id) ON DELETE CASCADE,
  day INTEGER NOT NULL,
  samples BLOB NOT NULL,
  reasons BLOB NOT NULL,
  UNIQUE (node_id, day)
) STRICT;
CREATE INDEX node_samples_by_day ON node_samples (day);
`,
};
