// Narrowing the preempted-run list: by state, and by text matched against the job id, its name, user,
// account, partition, QOS, nodes and the inferred preemptor's job id. Pure, so it is unit-tested.
import type { PreemptedRun } from '../../../../shared/api/methods/preemptions';

export type StateChoice = 'all' | 'PREEMPTED' | 'REQUEUED';

export function filterRuns(runs: readonly PreemptedRun[], state: StateChoice, text: string): readonly PreemptedRun[] {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (state === 'all' && words.length === 0) return runs;
  return runs.filter((r) => {
    if (state !== 'all' && r.state !== state) return false;
    if (words.length === 0) return true;
    const hay = [r.cluster, r.jobId, r.name, r.user, r.account, r.partition, r.qos, r.nodesExpr ?? '', r.preemptor?.jobId ?? ''].join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
