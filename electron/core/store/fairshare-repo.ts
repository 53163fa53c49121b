// Fairshare rows (sshare -a -l) per snapshot, in sshare's (tree) order. An account's own row has no user; the key column holds ''
// for it because a primary key column cannot be NULL.
import type Database from 'better-sqlite3';
import type { FairshareRow } from '../../../shared/model/fairshare';
import { StoreError } from './errors';
import { prepared } from './prepared';

export class FairshareRepo {
  constructor(private readonly db: Database.Database) {}

  write(snapshotId: number, rows: readonly FairshareRow[]): void {
    const insert = prepared(this.db, `INSERT INTO fairshare (snapshot_id, account, user, seq, depth, parent, raw_shares, norm_shares, raw_usage,
      effective_usage, fair_share, level_fs, grp_tres_mins, tres_run_mins) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const [seq, r] of rows.entries()) {
      try {
        insert.run(snapshotId, r.account, r.user ?? '', seq, r.depth, r.parent, r.rawShares, r.normShares, r.rawUsage, r.effectiveUsage, r.fairShare, r.levelFs, r.grpTresMins, r.tresRunMins);
      } catch (err) {
        throw new StoreError('bad-value', `fairshare row ${r.account}/${r.user ?? ''} cannot be stored: ${(err as Error).message}`, { cause: err });
      }
    }
  }

  read(snapshotId: number): FairshareRow[] {
    const rows = prepared(this.db, 'SELECT * FROM fairshare WHERE snapshot_id = ? ORDER BY seq').all(snapshotId) as Record<string, string | number | null>[];
    return rows.map((r) => ({
      account: r.account as string,
      user: r.user === '' ? null : (r.user as string),
      depth: r.depth as number,
      parent: r.parent as string | null,
      rawShares: r.raw_shares as number | null,
      normShares: r.norm_shares as number | null,
      rawUsage: r.raw_usage as number,
      effectiveUsage: r.effective_usage as number | null,
      fairShare: r.fair_share as number | null,
      levelFs: r.level_fs as number | null,
      grpTresMins: r.grp_tres_mins as string | null,
      tresRunMins: r.tres_run_mins as string | null,
    }));
  }
}
