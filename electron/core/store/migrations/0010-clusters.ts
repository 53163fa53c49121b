// Clusters as the user configured them, and what the capability probe found on each. The config is the
// model's ClusterConfig as JSON: it holds no secret by construction (passwords and passphrases live in the
// SecretStore) and the clusters repo refuses any that looks like one.
import type { Migration } from './migration';

export const migration: Migration = {
  version: 10,
  name: 'clusters',
  sql: `
CREATE TABLE clusters (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  config TEXT NOT NULL CHECK (json_valid(config)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE capabilities (
  cluster_id INTEGER PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
  probed_at INTEGER NOT NULL,
  slurm_version TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data))
) STRICT;
`,
};
