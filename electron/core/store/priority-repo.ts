// Priority factors of pending jobs (sprio) per snapshot; sprio prints one row per job and partition.
import type Database from 'better-sqlite3';
import type { PriorityRow } from '../../../shared/model/priority';
import { StoreError } from './errors';
import { prepared } from './prepared';

export class PriorityRepo {
  constructor(private readonly db: Database.Database) {}

  write(snapshotId: number, rows: readonly PriorityRow[]): void {
    const insert = prepared(this.db, `INSERT INTO priority (snapshot_id, job_id_raw, partition, user, account, priority, age, fairshare,
      job_size, partition_factor, qos, site, tres) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const r of rows) {
      try {
        insert.run(snapshotId, r.jobIdRaw, r.partition, r.user, r.account, r.priority, r.age, r.fairshare, r.jobSize, r.partitionFactor, r.qos, r.site, r.tres);
      } catch (err) {
        throw new StoreError('bad-value', `priority row of job ${r.jobIdRaw} in ${r.partition} cannot be stored: ${(err as Error).message}`, { cause: err });
      }
    }
  }

  read(snapshotId: number): PriorityRow[] {
    const rows = prepared(this.db, 'SELECT * FROM priority WHERE snapshot_id = ? ORDER BY priority DESC, job_id_raw').all(snapshotId) as Record<string, string | number | null>[];
    return rows.map((r) => ({
      jobIdRaw: r.job_id_raw as number,
      user: r.user as string,
      account: r.account as string | null,
      partition: r.partition as string,
      priority: r.priority as number,
      age: r.age as number,
      fairshare: r.fairshare as number,
      jobSize: r.job_size as number,
      partitionFactor: r.partition_factor as number,
      qos: r.qos as number,
      site: r.site as number,
      tres: r.tres as string | null,
    }));
  }
}
