// What the scheduler thinks: fairshare (sshare; `seq` keeps its tree order) and priority factors (sprio)
// per snapshot, controller health (sdiag) per snapshot. Fairshare and priority rows are kept for the latest
// few snapshots like nodes and jobs; controller health is one small row per snapshot, kept for the
// snapshot retention.
import type { Migration } from './migration';

export const migration: Migration = {
  version: 60,
  name: 'scheduler',
  sql: `
CREATE TABLE fairshare (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  account TEXT NOT NULL,
  user TEXT NOT NULL,
  seq INTEGER NOT NULL,
  depth INTEGER NOT NULL,
  parent TEXT,
  raw_shares REAL,
  norm_shares REAL,
  raw_usage REAL NOT NULL,
  effective_usage REAL,
  fair_share REAL,
  level_fs REAL,
  grp_tres_mins TEXT,
  tres_run_mins TEXT,
  PRIMARY KEY (snapshot_id, account, user)
) STRICT, WITHOUT ROWID;

CREATE TABLE priority (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  job_id_raw INTEGER NOT NULL,
  partition TEXT NOT NULL,
  user TEXT NOT NULL,
  account TEXT,
  priority REAL NOT NULL,
  age REAL NOT NULL,
  fairshare REAL NOT NULL,
  job_size REAL NOT NULL,
  partition_factor REAL NOT NULL,
  qos REAL NOT NULL,
  site REAL NOT NULL,
  tres TEXT,
  PRIMARY KEY (snapshot_id, job_id_raw, partition)
) STRICT, WITHOUT ROWID;

CREATE TABLE controller_health (
  snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots (id) ON DELETE CASCADE,
  server_thread_count INTEGER,
  agent_queue_size INTEGER,
  main_last_cycle_us INTEGER,
  backfill_last_cycle_us INTEGER,
  data TEXT NOT NULL CHECK (json_valid(data))
) STRICT;
`,
};
