// The times time travel can go to: every stored snapshot's finish time, newest first, for one cluster or
// all. A snapshot's kinds say what it holds (a queue+nodes cycle, an accounting window, …).
import type { SnapshotTimes } from '../../../shared/api/methods/snapshots';
import type { CoreContext } from './context';

export const DEFAULT_TIMES_LIMIT = 500;

export function snapshotTimes(ctx: CoreContext, options: { cluster?: string; limit?: number }): SnapshotTimes {
  const db = ctx.store.db;
  const where = options.cluster === undefined ? '' : 'WHERE c.name = ?';
  const args = options.cluster === undefined ? [] : [options.cluster];
  const rows = db
    .prepare(`SELECT s.finished_at AS at, c.name AS cluster, (SELECT group_concat(k.kind) FROM snapshot_kinds k WHERE k.snapshot_id = s.id) AS kinds
              FROM snapshots s JOIN clusters c ON c.id = s.cluster_id ${where}
              ORDER BY s.finished_at DESC, s.id DESC LIMIT ?`)
    .all(...args, options.limit ?? DEFAULT_TIMES_LIMIT) as { at: number; cluster: string; kinds: string | null }[];
  const span = db
    .prepare(`SELECT count(*) AS n, min(s.finished_at) AS oldest, max(s.finished_at) AS newest FROM snapshots s JOIN clusters c ON c.id = s.cluster_id ${where}`)
    .get(...args) as { n: number; oldest: number | null; newest: number | null };
  return {
    times: rows.map((r) => ({ at: r.at, cluster: r.cluster, kinds: r.kinds ? r.kinds.split(',').sort() : [] })),
    total: span.n,
    oldest: span.oldest,
    newest: span.newest,
  };
}
