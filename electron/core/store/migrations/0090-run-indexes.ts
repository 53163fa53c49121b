// Indexes the preemption history needs on a large cache (measured: the 7-day view of 1M runs took ~10 s
// scanning every run ended in the window): preempted/requeued runs by end time (a partial index, so it
// stays small and cheap to maintain at ingest), and runs by start time (to find the run that started on a
// victim's nodes right after it was preempted).
import type { Migration } from './migration';

export const migration: Migration = {
  version: 90,
  name: 'run-indexes',
  sql: `
CREATE INDEX runs_preempted_by_end ON runs (cluster_id, end_time) WHERE state IN ('PREEMPTED', 'REQUEUED');
CREATE INDEX runs_by_start ON runs (cluster_id, start_time);
`,
};
