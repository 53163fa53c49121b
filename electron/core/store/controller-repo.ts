// Controller health (sdiag) per snapshot: the whole record as JSON plus the figures a trend view plots as
// columns, so "scheduler cycle over the last week" needs no JSON parsing.
import type Database from 'better-sqlite3';
import type { ControllerHealth } from '../../../shared/model/controller';
import { prepared } from './prepared';

export interface HealthPoint {
  snapshotId: number;
  at: number;
  serverThreadCount: number | null;
  agentQueueSize: number | null;
  mainSchedulerLastCycleUs: number | null;
  backfillLastCycleUs: number | null;
}

export class ControllerRepo {
  constructor(private readonly db: Database.Database) {}

  write(snapshotId: number, h: ControllerHealth): void {
    prepared(this.db, 'INSERT INTO controller_health (snapshot_id, server_thread_count, agent_queue_size, main_last_cycle_us, backfill_last_cycle_us, data) VALUES (?, ?, ?, ?, ?, ?)')
      .run(snapshotId, h.serverThreadCount, h.agentQueueSize, h.mainSchedulerLastCycleUs, h.backfillLastCycleUs, JSON.stringify(h));
  }

  read(snapshotId: number): ControllerHealth | null {
    const r = prepared(this.db, 'SELECT data FROM controller_health WHERE snapshot_id = ?').get(snapshotId) as { data: string } | undefined;
    return r ? (JSON.parse(r.data) as ControllerHealth) : null;
  }

  /** Figures of every stored sdiag of the cluster in [from, to), oldest first. */
  trend(clusterId: number, from: number, to: number): HealthPoint[] {
    const rows = prepared(this.db, `SELECT h.snapshot_id, s.finished_at, h.server_thread_count, h.agent_queue_size, h.main_last_cycle_us, h.backfill_last_cycle_us
                FROM controller_health h JOIN snapshots s ON s.id = h.snapshot_id
                WHERE s.cluster_id = ? AND s.finished_at >= ? AND s.finished_at < ? ORDER BY s.id`)
      .all(clusterId, from, to) as Record<string, number | null>[];
    return rows.map((r) => ({
      snapshotId: r.snapshot_id as number,
      at: r.finished_at as number,
      serverThreadCount: r.server_thread_count as number | null,
      agentQueueSize: r.agent_queue_size as number | null,
      mainSchedulerLastCycleUs: r.main_last_cycle_us as number | null,
      backfillLastCycleUs: r.backfill_last_cycle_us as number | null,
    }));
  }
}
