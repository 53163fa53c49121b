// preemptions.list: the preempted and requeued runs of the chosen clusters in a window, with what they
// lost, totals, requeue counts, and the inferred preemptor of each preempted run. Time travel (`at`)
// shows what had ended by then; partition tiers come from the partitions snapshot as of `at` (or latest).
import type { PreemptedRun, PreemptionHistory } from '../../../shared/api/methods/preemptions';
import { ApiError } from '../../../shared/api/errors';
import type { AccountingRun } from '../../../shared/model/run';
import { DEFAULT_SKEW_SECONDS, DEFAULT_WINDOW_SECONDS, inferPreemptor, sortByStart, type PreemptorCandidate } from '../../../shared/preemption/infer-preemptor';
import { lostSeconds } from '../../../shared/preemption/lost-time';
import { requeueCounts, totalsBy } from '../../../shared/preemption/loss-totals';
import { expandNodeField } from '../../../shared/slurm/parse/hostlist';
import { LocalDays } from '../../../shared/usage/local-days';
import { AsOf } from '../store/as-of';
import { ClustersRepo } from '../store/clusters-repo';
import { PreemptionReads, type RunStart } from '../store/preemption-reads';
import type { Store } from '../store/db';
import { encodeRequeues, encodeRuns } from './preemption-columns';
import { snapshotAt } from './time-travel';
import type { CoreContext } from './context';

export const PREEMPTION_STATES = ['PREEMPTED', 'REQUEUED'] as const;

export const RULE_TEXT =
  `Inferred, not recorded by Slurm: a run of another job that started on at least one of the victim's nodes between ` +
  `${DEFAULT_SKEW_SECONDS} s before and ${DEFAULT_WINDOW_SECONDS} s after the victim ended, in a partition of higher PriorityTier ` +
  `(partition preemption) or a different QOS (QOS preemption); the closest start wins.`;

function gpuTypesText(run: AccountingRun): string {
  return Object.entries(run.allocTres.gpuByType)
    .map(([t, n]) => `${t}:${n}`)
    .join(',');
}

/** Node lists of candidate runs, expanded once per distinct expression (most runs share a few). */
function nodeLists(): (expr: string) => string[] {
  const cache = new Map<string, string[]>();
  return (expr) => {
    let nodes = cache.get(expr);
    if (nodes) return nodes;
    // A plain host name needs no hostlist parse; that is most runs on most clusters.
    if (/^[A-Za-z0-9._-]+$/.test(expr) && expr !== 'None') nodes = [expr];
    else {
      try {
        nodes = expandNodeField(expr);
      } catch {
        // A node list this version cannot read makes the run no candidate; it still counts where it is a victim.
        nodes = [];
      }
    }
    cache.set(expr, nodes);
    return nodes;
  };
}

/** The start-time intervals a preemptor of any of the (sorted) victim ends may lie in, merged. */
export function candidateIntervals(ends: readonly number[], until: number): [number, number][] {
  const out: [number, number][] = [];
  for (const e of ends) {
    const from = e - DEFAULT_SKEW_SECONDS;
    const to = Math.min(e + DEFAULT_WINDOW_SECONDS, until);
    if (to < from) continue;
    const prev = out[out.length - 1];
    if (prev && from <= prev[1]) prev[1] = Math.max(prev[1], to);
    else out.push([from, to]);
  }
  return out;
}

function candidatesOf(starts: readonly RunStart[]): PreemptorCandidate[] {
  const nodesOf = nodeLists();
  return starts.map((s) => ({ ...s, nodes: nodesOf(s.nodesExpr) }));
}

function localDays(zone: string): LocalDays {
  try {
    return new LocalDays(zone);
  } catch {
    return new LocalDays('UTC');
  }
}

export function preemptionHistory(store: Store, request: { from: number; to: number; clusters?: string[]; at?: number }): PreemptionHistory {
  const db = store.db;
  const clustersRepo = new ClustersRepo(db);
  const reads = new PreemptionReads(db);
  const asOf = new AsOf(db);
  const known = clustersRepo.list();
  for (const name of request.clusters ?? []) {
    if (!known.some((c) => c.name === name)) throw new ApiError('bad-request', `no cluster named ${JSON.stringify(name)} (known: ${known.map((c) => c.name).join(', ') || 'none'})`);
  }
  const chosen = known.filter((c) => !request.clusters?.length || request.clusters.includes(c.name));
  const to = request.at === undefined ? request.to : Math.min(request.to, request.at + 1);
  const runs: PreemptedRun[] = [];
  const clusters: PreemptionHistory['clusters'] = [];
  for (const c of chosen) {
    const timeZone = clustersRepo.timeZone(c.id);
    const days = localDays(timeZone);
    const partSnap = snapshotAt(db, c.id, 'partitions', request.at);
    const parts = partSnap ? asOf.partitions(c.name, partSnap.id) : null;
    const tiers = parts && parts.partitions.length > 0 ? new Map(parts.partitions.map((p) => [p.name, p.priorityTier])) : null;
    clusters.push({ name: c.name, timeZone, accountingAt: snapshotAt(db, c.id, 'accounting', request.at)?.finishedAt ?? null, partitionTiersKnown: tiers !== null });
    const victims = request.from < to ? reads.endedIn(c.id, request.from, to, PREEMPTION_STATES) : [];
    const ends = victims.filter((v) => v.state === 'PREEMPTED').map((v) => v.endTime as number);
    const intervals = candidateIntervals(ends, request.at ?? Number.MAX_SAFE_INTEGER);
    const candidates = sortByStart(candidatesOf(reads.startedNear(c.id, intervals)));
    const rules = { windowSeconds: DEFAULT_WINDOW_SECONDS, skewSeconds: DEFAULT_SKEW_SECONDS, partitionTiers: tiers };
    for (const v of victims) {
      const endTime = v.endTime as number;
      const lost = lostSeconds(v);
      runs.push({
        cluster: c.name,
        jobId: v.jobId,
        jobIdRaw: v.jobIdRaw,
        name: v.name,
        user: v.user,
        account: v.account,
        partition: v.partition,
        qos: v.qos,
        state: v.state,
        gpus: v.allocTres.gpu,
        gpuTypes: gpuTypesText(v),
        nodesExpr: v.nodesExpr,
        submitTime: v.submitTime,
        startTime: v.startTime,
        endTime,
        lostSeconds: lost,
        gpuSecondsLost: lost * v.allocTres.gpu,
        restarts: v.restarts,
        day: days.dayOf(endTime).day,
        preemptor: v.state === 'PREEMPTED' ? inferPreemptor({ jobIdRaw: v.jobIdRaw, partition: v.partition, qos: v.qos, endTime, nodes: v.nodes }, candidates, rules) : null,
      });
    }
  }
  runs.sort((a, b) => b.endTime - a.endTime || a.cluster.localeCompare(b.cluster) || a.jobIdRaw - b.jobIdRaw);
  const requeues = requeueCounts(runs);
  const names = clusters.map((c) => c.name);
  return {
    from: request.from,
    to,
    clusters,
    count: runs.length,
    runs: encodeRuns(runs, names),
    totals: {
      byAccount: totalsBy(runs, (r) => r.account),
      byQos: totalsBy(runs, (r) => r.qos),
      byPartition: totalsBy(runs, (r) => r.partition),
      byDay: totalsBy(runs, (r) => r.day).sort((a, b) => a.key.localeCompare(b.key)),
    },
    requeueCount: requeues.length,
    requeues: encodeRequeues(requeues, names),
    rule: { windowSeconds: DEFAULT_WINDOW_SECONDS, skewSeconds: DEFAULT_SKEW_SECONDS, text: RULE_TEXT },
  };
}

export function listPreemptions(ctx: CoreContext, request: { from: number; to: number; clusters?: string[]; at?: number }): PreemptionHistory {
  return preemptionHistory(ctx.store, request);
}
