// Our usage totals against Slurm's own `sreport cluster AccountUtilizationByUser`, per account (sreport's
// account rows are whole subtrees: our scope 'tree' rows) and per user in an account (our 'own' rows), for
// the TRES both have: gres/gpu (GPU-seconds) and billing. sreport rounds every value to a whole unit of
// -t (hours by default), so a difference within half a unit is a match. A larger one gets the likely
// reason, from what we know about the window:
// - ours above sreport and the window ends within the last rollup interval: slurmdbd rolls usage up
//   hourly, so the latest hours are not in sreport yet (rollup lag);
// - sreport above ours while a reservation overlapped the window: sreport charges a reservation's idle
//   time to the accounts it names;
// - sreport above ours otherwise: job records we never saw (purged from slurmdbd by PurgeJobAfter before
//   we synced — rollups outlive job records — or a cache that starts after the window does).
import type { SreportUnit, SreportUsageRow } from '../slurm/parse/sreport';
import type { UsageRow } from './usage-accumulator';

export type ReconcileReason = 'rollup-lag' | 'reservations' | 'purged-records' | 'not-in-cache' | 'unexplained';

export interface ReconcileLine {
  cluster: string;
  account: string;
  /** Null for an account (subtree) line. */
  user: string | null;
  tres: 'gres/gpu' | 'billing';
  /** Both in `unit` TRES-units (GPU-hours with -t hours). */
  ours: number;
  sreport: number;
  difference: number;
  status: 'match' | 'differs';
  reason: ReconcileReason | null;
  explanation: string | null;
}

export interface ReconcileContext {
  unit: SreportUnit;
  window: { from: number; to: number };
  /** When our data was collected (and sreport asked). */
  collectedAt: number;
  /** Clusters with a reservation overlapping the window. */
  clustersWithReservations: ReadonlySet<string>;
  /** Per cluster: the earliest run start we hold (null: none). */
  cacheStartsAt: ReadonlyMap<string, number | null>;
}

const UNIT_SECONDS: Record<SreportUnit, number> = { seconds: 1, minutes: 60, hours: 3600 };
/** slurmdbd's hourly rollup runs a little after each hour; allow one more hour before calling it lag. */
const ROLLUP_LAG = 2 * 3600;

const EXPLAIN: Record<ReconcileReason, string> = {
  'rollup-lag': 'slurmdbd rolls usage up hourly; the last hours of the window are not in sreport yet',
  reservations: 'a reservation overlapped the window; sreport charges its idle reserved time to the accounts it names',
  'purged-records': 'sreport has usage for job records we do not hold (purged from slurmdbd before we synced; its rollups outlive job records)',
  'not-in-cache': 'our cached accounting starts after the window starts; sync accounting for the whole window',
  unexplained: 'no known cause; compare sacct for this account and user in the window',
};

/**
 * `ours`: rows grouped by exactly [cluster, account, user] with the account tree (own and tree scopes).
 */
export function reconcile(ours: readonly UsageRow[], sreport: readonly SreportUsageRow[], ctx: ReconcileContext): ReconcileLine[] {
  const per = UNIT_SECONDS[ctx.unit];
  const tolerance = 0.5 + 1e-9;
  const lines = new Map<string, ReconcileLine>();
  const line = (cluster: string, account: string, user: string | null, tres: 'gres/gpu' | 'billing'): ReconcileLine => {
    const key = `${cluster}\u0000${account}\u0000${user ?? ''}\u0000${tres}`;
    let l = lines.get(key);
    if (!l) lines.set(key, (l = { cluster, account, user, tres, ours: 0, sreport: 0, difference: 0, status: 'match', reason: null, explanation: null }));
    return l;
  };
  for (const r of ours) {
    const [cluster, account, user] = r.keys as [string, string, string];
    const u = r.scope === 'tree' ? null : user;
    line(cluster, account, u, 'gres/gpu').ours += r.gpuSeconds / per;
    line(cluster, account, u, 'billing').ours += r.billingSeconds / per;
  }
  for (const s of sreport) {
    if (s.tres !== 'gres/gpu' && s.tres !== 'billing') continue;
    line(s.cluster, s.account, s.user, s.tres).sreport += s.used;
  }
  const out = [...lines.values()];
  for (const l of out) {
    l.difference = l.ours - l.sreport;
    if (Math.abs(l.difference) <= tolerance) continue;
    l.status = 'differs';
    l.reason = reasonFor(l, ctx);
    l.explanation = EXPLAIN[l.reason];
  }
  return out.sort((a, b) => a.cluster.localeCompare(b.cluster) || a.account.localeCompare(b.account) || (a.user ?? '').localeCompare(b.user ?? '') || a.tres.localeCompare(b.tres));
}

function reasonFor(l: ReconcileLine, ctx: ReconcileContext): ReconcileReason {
  if (l.difference > 0) return ctx.collectedAt - ctx.window.to < ROLLUP_LAG ? 'rollup-lag' : 'unexplained';
  if (ctx.clustersWithReservations.has(l.cluster)) return 'reservations';
  const starts = ctx.cacheStartsAt.get(l.cluster) ?? null;
  if (starts === null || starts > ctx.window.from) return 'not-in-cache';
  return 'purged-records';
}
