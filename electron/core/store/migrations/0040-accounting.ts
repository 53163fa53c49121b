// Accounting: one row per run (a requeued job has several), keyed as slurmdbd keys its job table, by job
// id and submit time (a requeue gets a new submit time); upserted as a run goes from pending to running to
// finished. TRES are split into the columns usage needs (cpus, mem, nodes, billing, GPUs) plus the rest
// in the store's TRES text (tres-text.ts). submit_time 0 stands for "unknown", as runKey() does.
//
// usage_daily is maintained at ingest, in the same transaction as the runs it sums: GPU-, billing- and
// CPU-seconds (exact integers) per cluster, local day (the cluster's time zone), account, user, partition,
// QOS and GPU type ('' for none or untyped), split at local midnight.
//
// accounting_windows records each complete accounting collection: the sacct window it asked for and the
// latest time it saw. The next incremental sync starts from there (runs-repo accountingWatermark).
import type { Migration } from './migration';

export const migration: Migration = {
  version: 40,
  name: 'accounting',
  sql: `
CREATE TABLE runs (
  cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  job_id_raw INTEGER NOT NULL,
  submit_time INTEGER NOT NULL,
  job_id TEXT NOT NULL,
  array_job_id INTEGER,
  array_task_id INTEGER,
  name TEXT NOT NULL,
  user TEXT NOT NULL,
  account TEXT NOT NULL,
  partition TEXT NOT NULL,
  qos TEXT NOT NULL,
  state TEXT NOT NULL,
  state_detail TEXT,
  exit_code INTEGER,
  exit_signal INTEGER,
  eligible_time INTEGER,
  start_time INTEGER,
  end_time INTEGER,
  elapsed INTEGER NOT NULL,
  time_limit INTEGER,
  cpus INTEGER NOT NULL,
  mem_mib INTEGER NOT NULL,
  nodes_alloc INTEGER NOT NULL,
  billing INTEGER NOT NULL,
  gpus INTEGER NOT NULL,
  gpu_types TEXT,
  tres_other TEXT,
  req_tres TEXT,
  nodes_expr TEXT,
  restarts INTEGER,
  PRIMARY KEY (cluster_id, job_id_raw, submit_time)
) STRICT, WITHOUT ROWID;
CREATE INDEX runs_by_end ON runs (cluster_id, end_time);

CREATE TABLE usage_daily (
  cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  account TEXT NOT NULL,
  user TEXT NOT NULL,
  partition TEXT NOT NULL,
  qos TEXT NOT NULL,
  gpu_type TEXT NOT NULL,
  gpu_seconds INTEGER NOT NULL,
  billing_seconds INTEGER NOT NULL,
  cpu_seconds INTEGER NOT NULL,
  runs_started INTEGER NOT NULL,
  PRIMARY KEY (cluster_id, day, account, user, partition, qos, gpu_type)
) STRICT, WITHOUT ROWID;

CREATE TABLE accounting_windows (
  snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots (id) ON DELETE CASCADE,
  since INTEGER,
  until INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  max_seen INTEGER
) STRICT;
`,
};
