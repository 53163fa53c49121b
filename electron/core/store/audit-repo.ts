// Reads and appends of the bulk-action audit log (migration 0080). Only INSERTs: the tables refuse
// UPDATE and DELETE. An action is "running" until its action_ends row exists.
import type Database from 'better-sqlite3';
import type { ActionKind, ActionOrigin, ActionPreview, ActionRecord, JobResult, ResultStatus, RunOptions, Selection } from '../../../shared/api/methods/actions';
import { StoreError } from './errors';

export interface NewAction {
  cluster: string;
  action: ActionKind;
  origin: ActionOrigin;
  parentId: number | null;
  localUser: string;
  clusterUser: string;
  adminLevel: string;
  startedAt: number;
  selection: Selection | { retryOf: number } | { undoOf: number };
  preview: ActionPreview;
  options: RunOptions;
}

interface ActionRow {
  id: number;
  cluster: string;
  action: ActionKind;
  origin: ActionOrigin;
  parent_id: number | null;
  local_user: string;
  cluster_user: string;
  started_at: number;
  selection: string;
  preview: string;
  options: string;
  finished_at: number | null;
  outcome: ActionRecord['outcome'];
}

interface ResultRow {
  job_id: string;
  job_id_raw: number | null;
  status: ResultStatus;
  retryable: number;
  message: string | null;
  exit_code: number | null;
  batch: number;
  at: number;
}

const SELECT_ACTION = `
SELECT a.id, a.cluster, a.action, a.origin, a.parent_id, a.local_user, a.cluster_user, a.started_at, a.selection, a.preview,
       a.options, e.finished_at, e.outcome
FROM actions a LEFT JOIN action_ends e ON e.action_id = a.id`;

export class AuditRepo {
  constructor(private readonly db: Database.Database) {}

  begin(a: NewAction): number {
    const r = this.db
      .prepare(
        `INSERT INTO actions (cluster, action, origin, parent_id, local_user, cluster_user, admin_level, started_at, selection, preview, options)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(a.cluster, a.action, a.origin, a.parentId, a.localUser, a.clusterUser, a.adminLevel, a.startedAt, JSON.stringify(a.selection), JSON.stringify(a.preview), JSON.stringify(a.options));
    return Number(r.lastInsertRowid);
  }

  /** One transaction per batch: a crash mid-run leaves whole batches, never half of one. */
  appendResults(actionId: number, results: readonly JobResult[]): void {
    const insert = this.db.prepare(
      'INSERT INTO action_results (action_id, job_id, job_id_raw, status, retryable, message, exit_code, batch, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const r of results) insert.run(actionId, r.jobId, r.jobIdRaw, r.status, r.retryable ? 1 : 0, r.message, r.exitCode, r.batch, r.at);
    })();
  }

  end(actionId: number, finishedAt: number, outcome: NonNullable<ActionRecord['outcome']>, message: string | null = null): void {
    this.db.prepare('INSERT INTO action_ends (action_id, finished_at, outcome, message) VALUES (?, ?, ?, ?)').run(actionId, finishedAt, outcome, message);
  }

  get(id: number): ActionRecord {
    const row = this.db.prepare(`${SELECT_ACTION} WHERE a.id = ?`).get(id) as ActionRow | undefined;
    if (!row) throw new StoreError('not-found', `no action ${id} in the audit log`);
    return this.record(row);
  }

  /** Newest first. */
  list(options: { cluster?: string; limit?: number } = {}): ActionRecord[] {
    const rows = (
      options.cluster === undefined
        ? this.db.prepare(`${SELECT_ACTION} ORDER BY a.id DESC LIMIT ?`).all(options.limit ?? 200)
        : this.db.prepare(`${SELECT_ACTION} WHERE a.cluster = ? ORDER BY a.id DESC LIMIT ?`).all(options.cluster, options.limit ?? 200)
    ) as ActionRow[];
    return rows.map((r) => this.record(r));
  }

  private record(row: ActionRow): ActionRecord {
    const results = (this.db.prepare('SELECT job_id, job_id_raw, status, retryable, message, exit_code, batch, at FROM action_results WHERE action_id = ? ORDER BY batch, rowid').all(row.id) as ResultRow[]).map(
      (r): JobResult => ({ jobId: r.job_id, jobIdRaw: r.job_id_raw, status: r.status, retryable: r.retryable === 1, message: r.message, exitCode: r.exit_code, batch: r.batch, at: r.at }),
    );
    const counts: Record<ResultStatus, number> = { done: 0, failed: 0, unknown: 0, cancelled: 0, skipped: 0 };
    for (const r of results) counts[r.status]++;
    return {
      id: row.id,
      cluster: row.cluster,
      action: row.action,
      origin: row.origin,
      parentId: row.parent_id,
      localUser: row.local_user,
      clusterUser: row.cluster_user,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      outcome: row.outcome,
      selection: JSON.parse(row.selection) as unknown,
      preview: JSON.parse(row.preview) as ActionPreview,
      options: JSON.parse(row.options) as RunOptions,
      results,
      counts,
    };
  }
}
