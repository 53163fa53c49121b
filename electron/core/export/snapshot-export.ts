// `clusterops export snapshot`: a consistent SQLite copy of the cache for someone without cluster access,
// holding only the chosen clusters and time range, that another console opens read-only.
//
// How: SQLite's online backup API (better-sqlite3 `db.backup`) copies the live database page by page while
// the poller may keep writing (the copy is one consistent state), into a private temporary file; that copy
// is pruned to the chosen clusters and range, then written out with `VACUUM INTO`, which rebuilds the file
// from the remaining rows only — so nothing deleted (another cluster's jobs, reasons, audit rows) survives
// in free pages of the file handed out. The live database is never modified.
//
// What a range keeps: snapshots that finished inside [from, to]; spans (queue, partitions, reservations)
// overlapping those snapshots; node samples of the UTC days touched; accounting runs that held or waited
// for resources in the range (each whole, not clipped); usage_daily days of the cluster's local calendar
// touched by the range (whole days, as retention cuts them); audit rows of the chosen clusters started in it.
import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LocalDays } from '../../../shared/usage/local-days';
import { StoreError } from '../store/errors';
import { dayOf } from '../store/node-sample-codec';

export interface SnapshotExportOptions {
  /** Cluster names; empty = all. */
  clusters: readonly string[];
  /** Epoch seconds; omitted = unbounded. */
  from?: number;
  to?: number;
}

export interface SnapshotExportReport {
  out: string;
  clusters: string[];
  bytes: number;
  rows: Record<string, number>;
}

const SPAN_TABLES = ['job_spans', 'partition_spans', 'reservation_spans'] as const;
const AUDIT_TABLES = ['action_ends', 'action_results', 'actions'] as const;

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Copy `source` (an open store connection) to `out`, pruned. `out` must not exist (never overwrite silently). */
export async function exportSnapshot(source: Database.Database, out: string, options: SnapshotExportOptions): Promise<SnapshotExportReport> {
  const target = path.resolve(out);
  try {
    statSync(target);
    throw new StoreError('bad-value', `${target} exists; choose a new file name`);
  } catch (err) {
    if (err instanceof StoreError) throw err;
  }
  const known = (source.prepare('SELECT name FROM clusters ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  for (const name of options.clusters) {
    if (!known.includes(name)) throw new StoreError('not-found', `no cluster named ${JSON.stringify(name)}${known.length ? ` (known: ${known.join(', ')})` : ' (none configured)'}`);
  }
  if (options.from !== undefined && options.to !== undefined && options.to <= options.from) throw new StoreError('bad-value', 'the snapshot range is empty (--to is not after --from)');
  const keep = options.clusters.length > 0 ? [...options.clusters] : known;

  const dir = mkdtempSync(path.join(os.tmpdir(), 'clusterops-snapshot-'));
  const copy = path.join(dir, 'copy.db');
  try {
    await source.backup(copy);
    const db = new Database(copy);
    try {
      db.pragma('foreign_keys = ON');
      prune(db, keep, options);
      const partial = `${target}.partial`;
      rmSync(partial, { force: true });
      db.prepare('VACUUM INTO ?').run(partial);
      db.close();
      // Only a complete file gets the name asked for.
      renameSync(partial, target);
    } finally {
      if (db.open) db.close();
    }
    const check = new Database(target, { readonly: true });
    const rows: Record<string, number> = {};
    for (const t of ['clusters', 'snapshots', 'runs', 'usage_daily', 'node_samples', 'job_spans']) rows[t] = (check.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    check.close();
    return { out: target, clusters: keep, bytes: statSync(target).size, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function prune(db: Database.Database, keep: readonly string[], options: SnapshotExportOptions): void {
  const from = options.from ?? Number.MIN_SAFE_INTEGER;
  const to = options.to ?? Number.MAX_SAFE_INTEGER;
  const names = JSON.stringify(keep);
  // The audit log is append-only by triggers; in this private copy they are lifted while pruning and put
  // back exactly as they were (same SQL), so the copy's schema equals the code's.
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
  db.transaction(() => {
    for (const t of triggers) db.exec(`DROP TRIGGER "${t.name.replace(/"/g, '""')}"`);
    db.prepare('DELETE FROM clusters WHERE name NOT IN (SELECT value FROM json_each(?))').run(names);
    db.prepare('DELETE FROM host_keys WHERE cluster_id IS NULL').run();
    if (hasTable(db, 'actions')) {
      const drop = 'SELECT id FROM actions WHERE cluster NOT IN (SELECT value FROM json_each(?)) OR started_at < ? OR started_at > ?';
      for (const t of AUDIT_TABLES) {
        if (t === 'actions') db.prepare(`DELETE FROM actions WHERE id IN (${drop})`).run(names, from, to);
        else db.prepare(`DELETE FROM ${t} WHERE action_id IN (${drop})`).run(names, from, to);
      }
    }
    if (options.from !== undefined || options.to !== undefined) {
      db.prepare('DELETE FROM snapshots WHERE finished_at < ? OR finished_at > ?').run(from, to);
      for (const table of SPAN_TABLES) {
        // A span describes snapshots [from_snapshot, to_snapshot); keep it if that meets a kept snapshot.
        db.prepare(`DELETE FROM ${table} WHERE
          (to_snapshot IS NOT NULL AND to_snapshot <= coalesce((SELECT min(id) FROM snapshots s WHERE s.cluster_id = ${table}.cluster_id), 9223372036854775807))
          OR from_snapshot > coalesce((SELECT max(id) FROM snapshots s WHERE s.cluster_id = ${table}.cluster_id), -1)`).run();
      }
      db.prepare('DELETE FROM node_samples WHERE day < ? OR day > ?').run(options.from === undefined ? -1 : dayOf(from), options.to === undefined ? 2 ** 40 : dayOf(to));
      db.prepare('DELETE FROM runs WHERE end_time < ? OR coalesce(start_time, submit_time) > ?').run(from, to);
      const zones = db.prepare("SELECT c.id, coalesce(p.time_zone, 'UTC') AS tz FROM clusters c LEFT JOIN capabilities p ON p.cluster_id = c.id").all() as { id: number; tz: string }[];
      for (const c of zones) {
        const days = new LocalDays(c.tz);
        const first = options.from === undefined ? '0000-00-00' : days.dayOf(from).day;
        const last = options.to === undefined ? '9999-99-99' : days.dayOf(to).day;
        db.prepare('DELETE FROM usage_daily WHERE cluster_id = ? AND (day < ? OR day > ?)').run(c.id, first, last);
      }
    }
    // Drain/down reasons no remaining sample refers to (they may name other clusters' nodes' problems).
    const used = new Set<number>();
    for (const row of db.prepare('SELECT reasons FROM node_samples').raw(true).iterate() as Iterable<[Buffer]>) {
      const b = row[0];
      for (let i = 0; i + 4 <= b.length; i += 4) used.add(b.readUInt32LE(i));
    }
    const del = db.prepare('DELETE FROM node_reasons WHERE id = ?');
    for (const { id } of db.prepare('SELECT id FROM node_reasons').all() as { id: number }[]) if (!used.has(id)) del.run(id);
    for (const t of triggers) db.exec(t.sql);
  })();
}
