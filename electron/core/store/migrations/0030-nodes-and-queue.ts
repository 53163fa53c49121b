// What a cluster looked like at a snapshot: nodes and jobs as full rows keyed by snapshot (kept for the
// latest few snapshots, see retention.ts), and compact history for everything older:
// - job_spans: one row per job per stretch of snapshots in which its state, reason, placement and size did
//   not change ([from_snapshot, to_snapshot), to_snapshot NULL while it lasts). Priority and the pending
//   start estimate change every cycle and are left out, so a quiet queue costs no writes at all.
// - partition_spans / reservation_spans: the same for partitions and reservations, with the whole record as
//   JSON (they are few and change rarely, so their history is exact).
// Node history lives in node_samples (migration 50).
import type { Migration } from './migration';

export const migration: Migration = {
  version: 30,
  name: 'nodes-and-queue',
  sql: `
CREATE TABLE nodes_current (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  flags TEXT NOT NULL CHECK (json_valid(flags)),
  reason TEXT,
  reason_user TEXT,
  reason_time INTEGER,
  partitions TEXT NOT NULL CHECK (json_valid(partitions)),
  cpus_total INTEGER NOT NULL,
  cpus_alloc INTEGER NOT NULL,
  mem_total_mib REAL NOT NULL,
  mem_alloc_mib REAL NOT NULL,
  gpus_total INTEGER NOT NULL,
  gpus_used INTEGER NOT NULL,
  gpus TEXT NOT NULL CHECK (json_valid(gpus)),
  features TEXT NOT NULL CHECK (json_valid(features)),
  other_gres TEXT,
  PRIMARY KEY (snapshot_id, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE jobs_current (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  job_id_raw INTEGER NOT NULL,
  job_id TEXT NOT NULL,
  array_job_id INTEGER,
  array_task_id INTEGER,
  array_task_range TEXT,
  name TEXT NOT NULL,
  user TEXT NOT NULL,
  account TEXT NOT NULL,
  partition TEXT NOT NULL,
  qos TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT,
  priority REAL NOT NULL,
  tres_req TEXT NOT NULL,
  tres_alloc TEXT,
  gpus INTEGER NOT NULL,
  gpus_per_node INTEGER,
  gpu_type TEXT,
  nodes_expr TEXT,
  num_nodes INTEGER NOT NULL,
  num_cpus INTEGER NOT NULL,
  submit_time INTEGER NOT NULL,
  start_time INTEGER,
  end_time INTEGER,
  time_limit INTEGER,
  restarts INTEGER NOT NULL,
  batch INTEGER NOT NULL,
  requeueable INTEGER NOT NULL,
  dependency TEXT,
  PRIMARY KEY (snapshot_id, job_id_raw)
) STRICT, WITHOUT ROWID;

CREATE TABLE job_spans (
  cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  job_id_raw INTEGER NOT NULL,
  from_snapshot INTEGER NOT NULL,
  to_snapshot INTEGER,
  job_id TEXT NOT NULL,
  array_job_id INTEGER,
  array_task_id INTEGER,
  array_task_range TEXT,
  name TEXT NOT NULL,
  user TEXT NOT NULL,
  account TEXT NOT NULL,
  partition TEXT NOT NULL,
  qos TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT,
  gpus INTEGER NOT NULL,
  gpu_type TEXT,
  nodes_expr TEXT,
  num_nodes INTEGER NOT NULL,
  num_cpus INTEGER NOT NULL,
  submit_time INTEGER NOT NULL,
  start_time INTEGER,
  time_limit INTEGER,
  restarts INTEGER NOT NULL,
  PRIMARY KEY (cluster_id, job_id_raw, from_snapshot)
) STRICT, WITHOUT ROWID;
CREATE INDEX job_spans_by_end ON job_spans (cluster_id, to_snapshot);

CREATE TABLE partition_spans (
  cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  from_snapshot INTEGER NOT NULL,
  to_snapshot INTEGER,
  data TEXT NOT NULL CHECK (json_valid(data)),
  UNIQUE (cluster_id, name, from_snapshot)
) STRICT;
CREATE INDEX partition_spans_by_end ON partition_spans (cluster_id, to_snapshot);

CREATE TABLE reservation_spans (
  cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  from_snapshot INTEGER NOT NULL,
  to_snapshot INTEGER,
  data TEXT NOT NULL CHECK (json_valid(data)),
  UNIQUE (cluster_id, name, from_snapshot)
) STRICT;
CREATE INDEX reservation_spans_by_end ON reservation_spans (cluster_id, to_snapshot);
`,
};
