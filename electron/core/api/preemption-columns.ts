// The preemption history's runs and requeue counts as columns for the bridge (see
// shared/api/methods/preemptions.ts for the layout; the renderer decodes them in
// renderer/src/views/preemptions/preemptions-data.ts).
import { DictBuilder, encodeF64, encodeU32, u32Value } from '../../../shared/api/column-codec';
import type { PreemptedRun, PreemptedRunColumns, RequeueColumns, RequeueCount } from '../../../shared/api/methods/preemptions';

function clusterIndex(clusters: readonly string[]): (name: string) => number {
  const index = new Map(clusters.map((c, i) => [c, i]));
  return (name) => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`run of cluster ${JSON.stringify(name)}, which the response does not list`);
    return i;
  };
}

export function encodeRuns(runs: readonly PreemptedRun[], clusters: readonly string[]): PreemptedRunColumns {
  const n = runs.length;
  const indexOf = clusterIndex(clusters);
  const u32 = () => new Uint32Array(n);
  const dict = () => new DictBuilder(n);
  const c = {
    cluster: u32(),
    jobId: dict(),
    jobIdRaw: u32(),
    name: dict(),
    user: dict(),
    account: dict(),
    partition: dict(),
    qos: dict(),
    state: dict(),
    gpus: u32(),
    gpuTypes: dict(),
    nodesExpr: dict(),
    submitTime: u32(),
    startTime: u32(),
    endTime: u32(),
    lostSeconds: u32(),
    gpuSecondsLost: new Float64Array(n),
    restarts: u32(),
    day: dict(),
    preemptorJobId: dict(),
    preemptorJobIdRaw: u32(),
    preemptorUser: dict(),
    preemptorAccount: dict(),
    preemptorPartition: dict(),
    preemptorQos: dict(),
    preemptorStartTime: u32(),
    preemptorSecondsAfter: new Float64Array(n),
    preemptorSharedNodes: dict(),
    preemptorBasis: dict(),
    preemptorWhy: dict(),
  };
  for (let i = 0; i < n; i++) {
    const r = runs[i] as PreemptedRun;
    c.cluster[i] = indexOf(r.cluster);
    c.jobId.push(r.jobId);
    c.jobIdRaw[i] = u32Value(r.jobIdRaw);
    c.name.push(r.name);
    c.user.push(r.user);
    c.account.push(r.account);
    c.partition.push(r.partition);
    c.qos.push(r.qos);
    c.state.push(r.state);
    c.gpus[i] = u32Value(r.gpus);
    c.gpuTypes.push(r.gpuTypes);
    c.nodesExpr.push(r.nodesExpr);
    c.submitTime[i] = u32Value(r.submitTime);
    c.startTime[i] = u32Value(r.startTime);
    c.endTime[i] = u32Value(r.endTime);
    c.lostSeconds[i] = u32Value(r.lostSeconds);
    c.gpuSecondsLost[i] = r.gpuSecondsLost;
    c.restarts[i] = u32Value(r.restarts);
    c.day.push(r.day);
    const p = r.preemptor;
    c.preemptorJobId.push(p?.jobId ?? null);
    c.preemptorJobIdRaw[i] = u32Value(p?.jobIdRaw ?? null);
    c.preemptorUser.push(p?.user ?? null);
    c.preemptorAccount.push(p?.account ?? null);
    c.preemptorPartition.push(p?.partition ?? null);
    c.preemptorQos.push(p?.qos ?? null);
    c.preemptorStartTime[i] = u32Value(p?.startTime ?? null);
    c.preemptorSecondsAfter[i] = p ? p.secondsAfter : Number.NaN;
    c.preemptorSharedNodes.push(p ? p.sharedNodes.join(',') : null);
    c.preemptorBasis.push(p?.basis ?? null);
    c.preemptorWhy.push(p?.why ?? null);
  }
  const out: Record<string, string | ReturnType<DictBuilder['build']>> = {};
  for (const [key, col] of Object.entries(c)) {
    out[key] = col instanceof DictBuilder ? col.build() : col instanceof Float64Array ? encodeF64(col) : encodeU32(col);
  }
  return out as PreemptedRunColumns;
}

export function encodeRequeues(requeues: readonly RequeueCount[], clusters: readonly string[]): RequeueColumns {
  const n = requeues.length;
  const indexOf = clusterIndex(clusters);
  const cluster = new Uint32Array(n);
  const jobId = new DictBuilder(n);
  const jobIdRaw = new Uint32Array(n);
  const preempted = new Uint32Array(n);
  const requeued = new Uint32Array(n);
  const gpuSecondsLost = new Float64Array(n);
  const restarts = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const r = requeues[i] as RequeueCount;
    cluster[i] = indexOf(r.cluster);
    jobId.push(r.jobId);
    jobIdRaw[i] = u32Value(r.jobIdRaw);
    preempted[i] = u32Value(r.preempted);
    requeued[i] = u32Value(r.requeued);
    gpuSecondsLost[i] = r.gpuSecondsLost;
    restarts[i] = u32Value(r.restarts);
  }
  return {
    cluster: encodeU32(cluster),
    jobId: jobId.build(),
    jobIdRaw: encodeU32(jobIdRaw),
    preempted: encodeU32(preempted),
    requeued: encodeU32(requeued),
    gpuSecondsLost: encodeF64(gpuSecondsLost),
    restarts: encodeU32(restarts),
  };
}
