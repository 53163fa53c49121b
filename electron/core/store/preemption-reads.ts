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
    // Inside the preempted/requeued set, name the states literally so SQLite can use the partial index
    // runs_preempted_by_end (a bound parameter cannot prove the index's WHERE clause).
    const indexed = states.every((s) => s === 'PREEMPTED' || s === 'REQUEUED');
    const list = indexed ? "'PREEMPTED', 'REQUEUED'" : states.map(() => '?').join(', ');
    const extra = indexed && states.length === 1 ? ` AND state = '${states[0] as string}'` : '';
    const rows = this.db
      .prepare(`SELECT * FROM runs WHERE cluster_id = ? AND end_time >= ? AND end_time < ? AND state IN (${list})${extra}
                ORDER BY end_time, job_id_raw`)
      .all(clusterId, from, to, ...(indexed ? [] : states)) as RunRecord[];
    return rows.map(recordToRun);
  }

  /**
   * Runs (any state, with nodes) whose start lies in one of `intervals` ([from, to] pairs, sorted, not
   * overlapping), by start. Rows are streamed and matched by binary search as they come, so a month of
   * runs is walked once without being held in memory; only the few near a preemption are kept.
   */
  startedNear(clusterId: number, intervals: readonly (readonly [number, number])[]): RunStart[] {
    if (intervals.length === 0) return [];
    const first = (intervals[0] as readonly [number, number])[0];
    const last = (intervals[intervals.length - 1] as readonly [number, number])[1];
    const cols = 'job_id, job_id_raw, user, account, partition, qos, start_time, nodes_expr';
    const where = 'start_time >= ? AND start_time <= ? AND nodes_expr IS NOT NULL';
    const stmt = this.db
      .prepare(`SELECT ${cols} FROM runs WHERE cluster_id = ? AND end_time >= ? AND ${where}
                UNION ALL
                SELECT ${cols} FROM runs WHERE cluster_id = ? AND end_time IS NULL AND ${where}`)
      .raw(true);
    const out: RunStart[] = [];
    for (const row of stmt.iterate(clusterId, first, first, last, clusterId, first, last) as Iterable<[string, number, string, string, string, string, number, string]>) {
      if (!inIntervals(intervals, row[6])) continue;
      out.push({ jobId: row[0], jobIdRaw: row[1], user: row[2], account: row[3], partition: row[4], qos: row[5], startTime: row[6], nodesExpr: row[7] });
    }
    return out.sort((a, b) => a.startTime - b.startTime || a.jobIdRaw - b.jobIdRaw);
  }
}

/** Whether `t` lies in one of the sorted, disjoint closed intervals. */
export function inIntervals(intervals: readonly (readonly [number, number])[], t: number): boolean {
  let lo = 0;
  let hi = intervals.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const [a, b] = intervals[mid] as readonly [number, number];
    if (t < a) hi = mid - 1;
    else if (t > b) lo = mid + 1;
    else return true;
  }
  return false;
}
