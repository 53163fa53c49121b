// How long the store keeps what. The rule, per cluster:
// - Full per-snapshot rows of nodes, queue, fairshare and priority: the latest `fullSnapshots` snapshots of
//   each kind (thinned as each new snapshot is written). Older snapshots are still answered: the queue from
//   job_spans, nodes from node_samples (both marked `exact: false`), partitions and reservations exactly
//   from their spans.
// - Snapshot records (with controller health, accounting windows) and spans: `snapshotDays` days. The
//   latest snapshot of each cluster and of each kind is always kept, so "latest" and the accounting
//   watermark survive any setting.
// - Node samples: `sampleDays` whole UTC days before today (plus today).
// - Accounting runs and usage_daily: `runDays` (null = forever, the default: finance needs the history).
//   The cut is at a local midnight of the cluster, so usage_daily never holds a day whose runs are gone
//   nor runs whose day is gone, and re-importing old runs adds them back consistently.
// The audit log of actions (a later feature) is never pruned by any of this.
import type Database from 'better-sqlite3';
import type { SnapshotKind } from '../../../shared/model/snapshot';
import { LocalDays } from '../../../shared/usage/local-days';
import { StoreError } from './errors';
import { dayOf } from './node-sample-codec';
import type { SettingsRepo } from './settings-repo';
import { prepared } from './prepared';

export interface RetentionSettings {
  fullSnapshots: number;
  snapshotDays: number;
  sampleDays: number;
  runDays: number | null;
}

export const DEFAULT_RETENTION: RetentionSettings = { fullSnapshots: 10, snapshotDays: 30, sampleDays: 30, runDays: null };

const KEY = 'retention';
const LIMITS: Record<keyof RetentionSettings, [number, number]> = {
  fullSnapshots: [1, 10_000],
  snapshotDays: [1, 3650],
  sampleDays: [1, 3650],
  runDays: [1, 36500],
};

function check(name: keyof RetentionSettings, value: unknown): boolean {
  if (name === 'runDays' && value === null) return true;
  const [lo, hi] = LIMITS[name];
  return typeof value === 'number' && Number.isInteger(value) && value >= lo && value <= hi;
}

/** The stored settings; a missing or invalid field (e.g. written by another version) takes its default. */
export function readRetention(settings: SettingsRepo): RetentionSettings {
  const stored = settings.get(KEY);
  const out = { ...DEFAULT_RETENTION };
  if (stored !== null && typeof stored === 'object') {
    for (const name of Object.keys(DEFAULT_RETENTION) as (keyof RetentionSettings)[]) {
      const v = (stored as Record<string, unknown>)[name];
      if (v !== undefined && check(name, v)) (out as Record<string, unknown>)[name] = v;
    }
  }
  return out;
}

/** Change some settings; refuses values out of range with a typed error. */
export function saveRetention(settings: SettingsRepo, change: Partial<RetentionSettings>, now: number): RetentionSettings {
  const next = { ...readRetention(settings) };
  for (const [name, value] of Object.entries(change) as [keyof RetentionSettings, unknown][]) {
    if (!(name in DEFAULT_RETENTION)) throw new StoreError('bad-value', `unknown retention setting ${name}`);
    if (!check(name, value)) {
      const [lo, hi] = LIMITS[name];
      throw new StoreError('bad-value', `retention ${name} must be an integer from ${lo} to ${hi}${name === 'runDays' ? ' or null (forever)' : ''}, not ${JSON.stringify(value)}`);
    }
    (next as Record<string, unknown>)[name] = value;
  }
  settings.set(KEY, next, now);
  return next;
}

/** Per-snapshot tables whose rows are kept for the latest few snapshots only. */
export const FULL_ROW_TABLES: Partial<Record<SnapshotKind, string>> = { nodes: 'nodes_current', queue: 'jobs_current', fairshare: 'fairshare', priority: 'priority' };

/** Drop the full rows of `kind` for all but the latest `keep` snapshots of the cluster. Returns snapshots thinned. */
export function thinFullRows(db: Database.Database, clusterId: number, kind: SnapshotKind, keep: number): number {
  const table = FULL_ROW_TABLES[kind];
  if (!table) return 0;
  const old = prepared(db, `SELECT k.snapshot_id AS id FROM snapshot_kinds k JOIN snapshots s ON s.id = k.snapshot_id
              WHERE k.kind = ? AND k.full = 1 AND s.cluster_id = ? ORDER BY k.snapshot_id DESC LIMIT -1 OFFSET ?`)
    .all(kind, clusterId, keep) as { id: number }[];
  const del = prepared(db, `DELETE FROM ${table} WHERE snapshot_id = ?`);
  const mark = prepared(db, 'UPDATE snapshot_kinds SET full = 0 WHERE snapshot_id = ? AND kind = ?');
  for (const { id } of old) {
    del.run(id);
    mark.run(id, kind);
  }
  return old.length;
}

export interface PruneReport {
  snapshots: number;
  spans: number;
  sampleRows: number;
  reasons: number;
  runs: number;
  usageRows: number;
}

/** Apply the day-based rules at time `now` (epoch seconds), in one transaction. */
export function pruneOld(db: Database.Database, now: number, r: RetentionSettings): PruneReport {
  const report: PruneReport = { snapshots: 0, spans: 0, sampleRows: 0, reasons: 0, runs: 0, usageRows: 0 };
  db.transaction(() => {
    report.snapshots = prepared(db, `DELETE FROM snapshots WHERE finished_at < ?
                AND id NOT IN (SELECT max(id) FROM snapshots GROUP BY cluster_id)
                AND id NOT IN (SELECT max(k.snapshot_id) FROM snapshot_kinds k JOIN snapshots s ON s.id = k.snapshot_id GROUP BY s.cluster_id, k.kind)`)
      .run(now - r.snapshotDays * 86400).changes;
    // A span that ended at or before the cluster's oldest remaining snapshot of its kind describes only
    // deleted snapshots.
    for (const [table, kind] of [['job_spans', 'queue'], ['partition_spans', 'partitions'], ['reservation_spans', 'reservations']]) {
      report.spans += prepared(db, `DELETE FROM ${table} WHERE to_snapshot IS NOT NULL AND to_snapshot <= coalesce((SELECT min(k.snapshot_id)
                  FROM snapshot_kinds k JOIN snapshots s ON s.id = k.snapshot_id WHERE k.kind = ? AND s.cluster_id = ${table}.cluster_id), 9223372036854775807)`)
        .run(kind).changes;
    }
    report.sampleRows = prepared(db, 'DELETE FROM node_samples WHERE day < ?').run(dayOf(now) - r.sampleDays).changes;
    if (report.sampleRows > 0) {
      const used = new Set<number>();
      for (const row of db.prepare('SELECT reasons FROM node_samples').raw(true).iterate() as Iterable<[Buffer]>) {
        const b = row[0];
        for (let i = 0; i + 4 <= b.length; i += 4) used.add(b.readUInt32LE(i));
      }
      const del = prepared(db, 'DELETE FROM node_reasons WHERE id = ?');
      for (const { id } of prepared(db, 'SELECT id FROM node_reasons').all() as { id: number }[]) if (!used.has(id)) report.reasons += del.run(id).changes;
    }
    if (r.runDays !== null) {
      const clusters = prepared(db, 'SELECT c.id, coalesce(p.time_zone, ?) AS tz FROM clusters c LEFT JOIN capabilities p ON p.cluster_id = c.id').all('UTC') as { id: number; tz: string }[];
      for (const c of clusters) {
        const cut = new LocalDays(c.tz).dayOf(now - r.runDays * 86400);
        report.runs += prepared(db, 'DELETE FROM runs WHERE cluster_id = ? AND end_time < ?').run(c.id, cut.start).changes;
        report.usageRows += prepared(db, 'DELETE FROM usage_daily WHERE cluster_id = ? AND day < ?').run(c.id, cut.day).changes;
      }
    }
  })();
  // Give freed pages back to the file system (the database is auto_vacuum=INCREMENTAL).
  db.pragma('incremental_vacuum');
  return report;
}
