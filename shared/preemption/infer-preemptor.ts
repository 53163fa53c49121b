// Which job most likely preempted a run. Slurm's accounting does not record the preemptor, so it is
// inferred from what accounting does record: when Slurm preempts, it ends the victim and starts the
// preemptor on the freed resources in the same scheduling pass, so the preemptor's Start lies within
// seconds of the victim's End on (some of) the victim's nodes. The rule, stated so the console can show it:
//
//   A candidate is a run of ANOTHER job that started on at least one of the victim's nodes no earlier than
//   `skewSeconds` before and no later than `windowSeconds` after the victim ended, and that could preempt it:
//   - its partition has a higher PriorityTier than the victim's (preempt/partition_prio), or
//   - it ran in a different QOS than the victim (preempt/qos; the QOS Preempt lists are not collected, so a
//     different QOS is necessary, not proof), or
//   - neither tier is known (no partition data) — then the candidate is kept as "rule unchecked".
//   A candidate in the same QOS and a partition of the same or a lower known tier cannot have preempted it.
//   Of the candidates, the one whose Start is closest to the victim's End wins; ties go to more shared nodes,
//   then the stronger basis (tier, QOS, unchecked), then the lower job id.
//
// The result is always an inference; callers must present it as one, with its evidence.

export interface PreemptionVictim {
  jobIdRaw: number;
  partition: string;
  qos: string;
  /** Epoch seconds the preempted run ended. */
  endTime: number;
  nodes: readonly string[];
}

export interface PreemptorCandidate {
  jobId: string;
  jobIdRaw: number;
  user: string;
  account: string;
  partition: string;
  qos: string;
  /** Epoch seconds the run started. */
  startTime: number;
  nodes: readonly string[];
}

export interface InferenceRules {
  /** How long after the victim's end a preemptor may start (seconds). */
  windowSeconds: number;
  /** How long before the victim's recorded end a preemptor may start (clock and rounding slack, seconds). */
  skewSeconds: number;
  /** PriorityTier per partition of the victim's cluster, or null when partitions were never collected. */
  partitionTiers: ReadonlyMap<string, number> | null;
}

export const DEFAULT_WINDOW_SECONDS = 120;
export const DEFAULT_SKEW_SECONDS = 5;

export type PreemptBasis = 'partition-tier' | 'qos' | 'unchecked';

export interface InferredPreemptor {
  jobId: string;
  jobIdRaw: number;
  user: string;
  account: string;
  partition: string;
  qos: string;
  startTime: number;
  /** Candidate start minus victim end; negative when it was recorded up to `skewSeconds` earlier. */
  secondsAfter: number;
  sharedNodes: string[];
  basis: PreemptBasis;
  /** The evidence in words, e.g. `partition prod (tier 10) > preemptible (tier 1)`. */
  why: string;
}

const BASIS_RANK: Record<PreemptBasis, number> = { 'partition-tier': 0, qos: 1, unchecked: 2 };

/** Whether `c` could preempt `v` under the rule above, and on what basis; null when it could not. */
export function preemptBasis(v: Pick<PreemptionVictim, 'partition' | 'qos'>, c: Pick<PreemptorCandidate, 'partition' | 'qos'>, tiers: ReadonlyMap<string, number> | null): { basis: PreemptBasis; why: string } | null {
  const vt = tiers?.get(v.partition);
  const ct = tiers?.get(c.partition);
  if (vt !== undefined && ct !== undefined && ct > vt) {
    return { basis: 'partition-tier', why: `partition ${c.partition} (tier ${ct}) > ${v.partition} (tier ${vt})` };
  }
  if (c.qos !== v.qos) return { basis: 'qos', why: `QOS ${c.qos} vs ${v.qos} (QOS preemption; the QOS Preempt list is not collected)` };
  if (vt === undefined || ct === undefined) return { basis: 'unchecked', why: `same QOS ${c.qos}; partition tiers unknown, preempt rule unchecked` };
  return null;
}

/**
 * Candidates sorted by start time, for `inferPreemptor`'s binary search. Sorting once lets one call per
 * victim look only at runs that started near its end.
 */
export function sortByStart<C extends PreemptorCandidate>(candidates: readonly C[]): C[] {
  return [...candidates].sort((a, b) => a.startTime - b.startTime || a.jobIdRaw - b.jobIdRaw);
}

function firstAtOrAfter(sorted: readonly PreemptorCandidate[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as PreemptorCandidate).startTime < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The most likely preemptor of `victim` among `sortedCandidates` (sorted by `sortByStart`), or null. */
export function inferPreemptor(victim: PreemptionVictim, sortedCandidates: readonly PreemptorCandidate[], rules: InferenceRules): InferredPreemptor | null {
  if (victim.nodes.length === 0) return null;
  const victimNodes = new Set(victim.nodes);
  const from = victim.endTime - rules.skewSeconds;
  const to = victim.endTime + rules.windowSeconds;
  let best: InferredPreemptor | null = null;
  for (let i = firstAtOrAfter(sortedCandidates, from); i < sortedCandidates.length; i++) {
    const c = sortedCandidates[i] as PreemptorCandidate;
    if (c.startTime > to) break;
    if (c.jobIdRaw === victim.jobIdRaw) continue; // the victim's own next run, after its requeue
    const shared = [...new Set(c.nodes)].filter((n) => victimNodes.has(n));
    if (shared.length === 0) continue;
    const basis = preemptBasis(victim, c, rules.partitionTiers);
    if (!basis) continue;
    const found: InferredPreemptor = {
      jobId: c.jobId,
      jobIdRaw: c.jobIdRaw,
      user: c.user,
      account: c.account,
      partition: c.partition,
      qos: c.qos,
      startTime: c.startTime,
      secondsAfter: c.startTime - victim.endTime,
      sharedNodes: shared,
      ...basis,
    };
    if (best === null || better(found, best)) best = found;
  }
  return best;
}

function better(a: InferredPreemptor, b: InferredPreemptor): boolean {
  const gap = Math.abs(a.secondsAfter) - Math.abs(b.secondsAfter);
  if (gap !== 0) return gap < 0;
  if (a.sharedNodes.length !== b.sharedNodes.length) return a.sharedNodes.length > b.sharedNodes.length;
  if (a.basis !== b.basis) return BASIS_RANK[a.basis] < BASIS_RANK[b.basis];
  return a.jobIdRaw < b.jobIdRaw;
}
