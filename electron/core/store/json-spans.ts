// History of small, slowly changing sets (partitions, reservations) as spans of unchanged JSON: a new row
// only when an item appears, changes or goes, so every snapshot's set is answered exactly for as long as
// the spans are kept, at almost no cost.
import type Database from 'better-sqlite3';
import { prepared } from './prepared';

export type SpanTable = 'partition_spans' | 'reservation_spans';

export class JsonSpans<T extends { name: string }> {
  constructor(
    private readonly db: Database.Database,
    private readonly table: SpanTable,
  ) {}

  update(clusterId: number, snapshotId: number, items: readonly T[]): { opened: number; closed: number } {
    const open = new Map<string, { from: number; data: string }>();
    const rows = prepared(this.db, `SELECT name, from_snapshot, data FROM ${this.table} WHERE cluster_id = ? AND to_snapshot IS NULL`).all(clusterId) as { name: string; from_snapshot: number; data: string }[];
    for (const r of rows) open.set(r.name, { from: r.from_snapshot, data: r.data });
    const close = prepared(this.db, `UPDATE ${this.table} SET to_snapshot = ? WHERE cluster_id = ? AND name = ? AND from_snapshot = ?`);
    const insert = prepared(this.db, `INSERT INTO ${this.table} (cluster_id, name, from_snapshot, to_snapshot, data) VALUES (?, ?, ?, NULL, ?)`);
    let opened = 0;
    let closed = 0;
    for (const item of items) {
      const data = JSON.stringify(item);
      const current = open.get(item.name);
      open.delete(item.name);
      if (current?.data === data) continue;
      if (current) {
        close.run(snapshotId, clusterId, item.name, current.from);
        closed++;
      }
      insert.run(clusterId, item.name, snapshotId, data);
      opened++;
    }
    for (const [name, span] of open) {
      close.run(snapshotId, clusterId, name, span.from);
      closed++;
    }
    return { opened, closed };
  }

  /** The set as it was at snapshot `snapshotId`, by name. */
  asOf(clusterId: number, snapshotId: number): T[] {
    const rows = prepared(this.db, `SELECT data FROM ${this.table} WHERE cluster_id = ? AND from_snapshot <= ? AND (to_snapshot > ? OR to_snapshot IS NULL) ORDER BY name`)
      .all(clusterId, snapshotId, snapshotId) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as T);
  }
}
