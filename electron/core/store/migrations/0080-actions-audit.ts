// The audit log of bulk job actions (requeue, requeuehold, release): one row per action with who, when,
// where, what was selected and the preview shown; one row per job with Slurm's raw answer; one row when
// the action ended. Append-only: triggers refuse UPDATE and DELETE, so neither a bug nor a retention run
// can rewrite history. The cluster is kept by name, not as a foreign key: removing a cluster from the
// console must not remove (or be blocked by) its audit trail.
import type { Migration } from './migration';

const APPEND_ONLY = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: ${table} rows cannot be changed'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: ${table} rows cannot be deleted'); END;
`;

export const migration: Migration = {
  version: 80,
  name: 'actions-audit',
  sql: `
CREATE TABLE actions (
  id INTEGER PRIMARY KEY,
  cluster TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('requeue', 'requeuehold', 'release')),
  origin TEXT NOT NULL CHECK (origin IN ('run', 'retry', 'undo')),
  parent_id INTEGER REFERENCES actions (id),
  local_user TEXT NOT NULL,
  cluster_user TEXT NOT NULL,
  admin_level TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  selection TEXT NOT NULL CHECK (json_valid(selection)),
  preview TEXT NOT NULL CHECK (json_valid(preview)),
  options TEXT NOT NULL CHECK (json_valid(options))
) STRICT;
CREATE INDEX actions_by_cluster ON actions (cluster, started_at);

CREATE TABLE action_results (
  action_id INTEGER NOT NULL REFERENCES actions (id),
  job_id TEXT NOT NULL,
  job_id_raw INTEGER,
  status TEXT NOT NULL CHECK (status IN ('done', 'failed', 'unknown', 'cancelled', 'skipped')),
  retryable INTEGER NOT NULL CHECK (retryable IN (0, 1)),
  message TEXT,
  exit_code INTEGER,
  batch INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (action_id, job_id)
) STRICT;

CREATE TABLE action_ends (
  action_id INTEGER PRIMARY KEY REFERENCES actions (id),
  finished_at INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'cancelled', 'failed')),
  message TEXT
) STRICT;
${APPEND_ONLY('actions')}${APPEND_ONLY('action_results')}${APPEND_ONLY('action_ends')}`,
};
