// Reconcile our usage with the cluster's sreport for a window: ask sreport over SSH, read the period it
// really used from its banner (it rounds to whole hours), compute our usage for exactly that period
// grouped by cluster, account and user with the account tree, and compare (shared/usage/reconcile.ts).
import type Database from 'better-sqlite3';
import type { Reservation } from '../../../shared/model/reservation';
import { parseSreportAccountUtilization } from '../../../shared/slurm/parse/sreport';
import { parseSlurmTime } from '../../../shared/slurm/parse/time';
import { reconcile, type ReconcileLine } from '../../../shared/usage/reconcile';
import { SREPORT_UNIT, sreportAccountUsageArgv } from '../../../shared/usage/sreport-command';
import type { ExecResult } from '../ssh/exec';
import { ClustersRepo } from '../store/clusters-repo';
import { computeUsage } from './usage-export';

export interface ClusterReconciliation {
  cluster: string;
  /** The period sreport reported (epoch seconds, end exclusive), null when sreport failed. */
  period: { from: number; to: number } | null;
  error: string | null;
  lines: ReconcileLine[];
}

export type RemoteExec = (cluster: string, argv: string[]) => Promise<ExecResult>;

function reservationsOverlap(db: Database.Database, clusterId: number, from: number, to: number): boolean {
  const rows = db.prepare('SELECT data FROM reservation_spans WHERE cluster_id = ?').all(clusterId) as { data: string }[];
  return rows.some((r) => {
    const res = JSON.parse(r.data) as Reservation;
    return res.start < to && (res.end === null || res.end > from);
  });
}

export async function reconcileWithSreport(db: Database.Database, clusters: readonly string[], from: number, to: number, exec: RemoteExec, now = Math.floor(Date.now() / 1000)): Promise<ClusterReconciliation[]> {
  const repo = new ClustersRepo(db);
  const names = clusters.length ? [...clusters] : repo.list().map((c) => c.name);
  const out: ClusterReconciliation[] = [];
  for (const name of names) {
    const id = repo.idOf(name);
    const tz = repo.timeZone(id);
    try {
      const res = await exec(name, sreportAccountUsageArgv(from, to, tz));
      if (res.code !== 0) throw new Error(`sreport exited ${String(res.code)}: ${res.stderr.trim() || res.stdout.trim()}`);
      const report = parseSreportAccountUtilization(res.stdout);
      // sreport reports the cluster it runs on, by slurmdbd's ClusterName, which may differ from our name:
      // its rows are relabelled below.
      const period = report.period ? { from: parseSlurmTime(report.period.start, tz) as number, to: (parseSlurmTime(report.period.end, tz) as number) + 1 } : { from, to };
      const usage = computeUsage(db, { clusters: [name], from: period.from, to: period.to, timeZone: tz, groupBy: ['cluster', 'account', 'user'], now }, [['cluster', 'account', 'user']]);
      const first = db.prepare('SELECT min(start_time) AS t FROM runs WHERE cluster_id = ?').get(id) as { t: number | null };
      const lines = reconcile(usage.results[0]?.rows ?? [], report.items.map((r) => ({ ...r, cluster: name })), {
        unit: report.unit ?? SREPORT_UNIT,
        window: period,
        collectedAt: usage.facts[0]?.accountingCollectedAt ?? now,
        clustersWithReservations: reservationsOverlap(db, id, period.from, period.to) ? new Set([name]) : new Set(),
        cacheStartsAt: new Map([[name, first.t]]),
      });
      out.push({ cluster: name, period, error: null, lines });
    } catch (err) {
      out.push({ cluster: name, period: null, error: (err as Error).message, lines: [] });
    }
  }
  return out;
}
