// Reads the preemption history needs from the runs table: runs ended by preemption or requeue in a
// window, and the runs that started around given times (preemptor candidates). Both ride the
// (cluster_id, end_time) index: a run that started at or after T also ended at or after T, or has not
// ended. Only the columns needed are read, so a 30-day window of a busy cluster stays cheap.
import type Database from 'better-sqlite3';
import type { AccountingRun } from '../../../shared/model/run';
import { recordToRun, type RunRecord } from './run-row';

export interface RunStart {
  jobId: string;
  jobIdRaw: number;
  user: string;
  account: string;
  partition: string;
  qos: string;
  startTime: number;
  nodesExpr: string;
}

export class PreemptionReads {
  constructor(private readonly db: Database.Database) {}

  /** Runs in `states` that ended in [from, to), oldest end first. */
  endedIn(clusterId: number, from: number, to: number, states: readonly string[]): AccountingRun[] {
    if (states.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT * FROM runs WHERE cluster_id = ? AND end_time >= ? AND end_time < ? AND state IN (${states.map(() => '?').join(', ')})
                ORDER BY end_time, job_id_raw`)
      .all(clusterId, from, to, ...states) as RunRecord[];
    return rows.map(recordToRun);
  }

  /** Runs that started in [from, to] on some node (any state), by start. */
  startedIn(clusterId: number, from: number, to: number): RunStart[] {
    const cols = `job_id AS jobId, job_id_raw AS jobIdRaw, user, account, partition, qos, start_time AS startTime, nodes_expr AS nodesExpr`;
    const where = 'start_time >= ? AND start_time <= ? AND nodes_expr IS NOT NULL';
    return this.db
      .prepare(`SELECT ${cols} FROM runs WHERE cluster_id = ? AND end_time >= ? AND ${where}
                UNION ALL
                SELECT ${cols} FROM runs WHERE cluster_id = ? AND end_time IS NULL AND ${where}
                ORDER BY startTime, jobIdRaw`)
      .all(clusterId, from, from, to, clusterId, from, to) as RunStart[];
  }
}
