// Totals of what preemption and requeues cost, by any key (account, QOS, partition, day), and how often
// each job was ended and put back in the queue.

export interface LossRow {
  cluster: string;
  jobId: string;
  jobIdRaw: number;
  state: string;
  lostSeconds: number;
  gpuSecondsLost: number;
  /** Slurm's own requeue count where the version records it (sacct Restarts, 24.11+). */
  restarts: number | null;
}

export interface LossTotal {
  key: string;
  runs: number;
  lostSeconds: number;
  gpuSecondsLost: number;
}

/** Sums per key, the costliest first (then by key, so equal totals keep a stable order). */
export function totalsBy<R extends LossRow>(rows: readonly R[], keyOf: (row: R) => string): LossTotal[] {
  const by = new Map<string, LossTotal>();
  for (const r of rows) {
    const key = keyOf(r);
    let t = by.get(key);
    if (!t) by.set(key, (t = { key, runs: 0, lostSeconds: 0, gpuSecondsLost: 0 }));
    t.runs++;
    t.lostSeconds += r.lostSeconds;
    t.gpuSecondsLost += r.gpuSecondsLost;
  }
  return [...by.values()].sort((a, b) => b.gpuSecondsLost - a.gpuSecondsLost || b.runs - a.runs || a.key.localeCompare(b.key));
}

export interface RequeueCount {
  cluster: string;
  jobId: string;
  jobIdRaw: number;
  preempted: number;
  requeued: number;
  gpuSecondsLost: number;
  /** The highest Restarts Slurm reported for the job's runs, null where sacct has no Restarts. */
  restarts: number | null;
}

/** Per job (cluster + numeric id): how many of its runs were preempted and requeued, most first. */
export function requeueCounts(rows: readonly LossRow[]): RequeueCount[] {
  const by = new Map<string, RequeueCount>();
  for (const r of rows) {
    const key = `${r.cluster}\u0000${r.jobIdRaw}`;
    let c = by.get(key);
    if (!c) by.set(key, (c = { cluster: r.cluster, jobId: r.jobId, jobIdRaw: r.jobIdRaw, preempted: 0, requeued: 0, gpuSecondsLost: 0, restarts: null }));
    if (r.state === 'PREEMPTED') c.preempted++;
    else c.requeued++;
    c.gpuSecondsLost += r.gpuSecondsLost;
    if (r.restarts !== null) c.restarts = Math.max(c.restarts ?? 0, r.restarts);
  }
  return [...by.values()].sort((a, b) => b.preempted + b.requeued - (a.preempted + a.requeued) || b.gpuSecondsLost - a.gpuSecondsLost || a.cluster.localeCompare(b.cluster) || a.jobIdRaw - b.jobIdRaw);
}
