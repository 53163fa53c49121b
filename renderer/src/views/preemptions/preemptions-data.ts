// The preemption history decoded once per answer from the core: the runs and requeue counts arrive as
// columns (see shared/api/methods/preemptions.ts) and become the row objects the view, the timeline and
// the filter use. Everything else in the answer passes through unchanged.
import { ColumnCodecError, decodeDict, decodeF64, decodeU32, dictValue, NULL_U32, type DecodedDict } from '../../../../shared/api/column-codec';
import type { InferredPreemptor, PreemptedRun, PreemptionHistory, RequeueCount } from '../../../../shared/api/methods/preemptions';

export interface PreemptionsData extends Omit<PreemptionHistory, 'count' | 'runs' | 'requeueCount' | 'requeues'> {
  runs: PreemptedRun[];
  requeues: RequeueCount[];
}

const BASES: readonly string[] = ['partition-tier', 'qos', 'unchecked'] satisfies InferredPreemptor['basis'][];

function str(col: DecodedDict, i: number, what: string): string {
  const v = dictValue(col, i);
  if (v === null) throw new ColumnCodecError(`row ${i}: ${what} is missing`);
  return v;
}

function nullableU32(col: Uint32Array, i: number): number | null {
  const v = col[i] as number;
  return v === NULL_U32 ? null : v;
}

function u32(col: Uint32Array, i: number, what: string): number {
  const v = col[i] as number;
  if (v === NULL_U32) throw new ColumnCodecError(`row ${i}: ${what} is missing`);
  return v;
}

function int(col: Float64Array, i: number, what: string): number {
  const v = col[i] as number;
  if (!Number.isSafeInteger(v)) throw new ColumnCodecError(`row ${i}: ${what} is ${v}, not an integer`);
  return v;
}

function clusterName(clusters: readonly string[], col: Uint32Array, i: number): string {
  const name = clusters[col[i] as number];
  if (name === undefined) throw new ColumnCodecError(`row ${i} names cluster ${col[i]} of ${clusters.length}`);
  return name;
}

function decodeRuns(h: PreemptionHistory, clusters: readonly string[]): PreemptedRun[] {
  const n = h.count;
  const c = h.runs;
  const cluster = decodeU32(c.cluster, n);
  const jobId = decodeDict(c.jobId, n);
  const jobIdRaw = decodeU32(c.jobIdRaw, n);
  const name = decodeDict(c.name, n);
  const user = decodeDict(c.user, n);
  const account = decodeDict(c.account, n);
  const partition = decodeDict(c.partition, n);
  const qos = decodeDict(c.qos, n);
  const state = decodeDict(c.state, n);
  const gpus = decodeU32(c.gpus, n);
  const gpuTypes = decodeDict(c.gpuTypes, n);
  const nodesExpr = decodeDict(c.nodesExpr, n);
  const submitTime = decodeU32(c.submitTime, n);
  const startTime = decodeU32(c.startTime, n);
  const endTime = decodeU32(c.endTime, n);
  const lostSeconds = decodeU32(c.lostSeconds, n);
  const gpuSecondsLost = decodeF64(c.gpuSecondsLost, n);
  const restarts = decodeU32(c.restarts, n);
  const day = decodeDict(c.day, n);
  const pJobId = decodeDict(c.preemptorJobId, n);
  const pJobIdRaw = decodeU32(c.preemptorJobIdRaw, n);
  const pUser = decodeDict(c.preemptorUser, n);
  const pAccount = decodeDict(c.preemptorAccount, n);
  const pPartition = decodeDict(c.preemptorPartition, n);
  const pQos = decodeDict(c.preemptorQos, n);
  const pStartTime = decodeU32(c.preemptorStartTime, n);
  const pSecondsAfter = decodeF64(c.preemptorSecondsAfter, n);
  const pSharedNodes = decodeDict(c.preemptorSharedNodes, n);
  const pBasis = decodeDict(c.preemptorBasis, n);
  const pWhy = decodeDict(c.preemptorWhy, n);
  const runs: PreemptedRun[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let preemptor: InferredPreemptor | null = null;
    const pId = dictValue(pJobId, i);
    if (pId !== null) {
      const basis = str(pBasis, i, 'preemptor basis');
      if (!BASES.includes(basis)) throw new ColumnCodecError(`row ${i}: unknown preemptor basis ${JSON.stringify(basis)}`);
      const shared = str(pSharedNodes, i, 'preemptor shared nodes');
      preemptor = {
        jobId: pId,
        jobIdRaw: u32(pJobIdRaw, i, 'preemptor job id'),
        user: str(pUser, i, 'preemptor user'),
        account: str(pAccount, i, 'preemptor account'),
        partition: str(pPartition, i, 'preemptor partition'),
        qos: str(pQos, i, 'preemptor QOS'),
        startTime: u32(pStartTime, i, 'preemptor start'),
        secondsAfter: int(pSecondsAfter, i, 'preemptor seconds after'),
        sharedNodes: shared === '' ? [] : shared.split(','),
        basis: basis as InferredPreemptor['basis'],
        why: str(pWhy, i, 'preemptor evidence'),
      };
    } else if (pJobIdRaw[i] !== NULL_U32 || dictValue(pBasis, i) !== null || !Number.isNaN(pSecondsAfter[i])) {
      throw new ColumnCodecError(`row ${i}: preemptor columns without a preemptor job id`);
    }
    runs[i] = {
      cluster: clusterName(clusters, cluster, i),
      jobId: str(jobId, i, 'job id'),
      jobIdRaw: u32(jobIdRaw, i, 'job id'),
      name: str(name, i, 'name'),
      user: str(user, i, 'user'),
      account: str(account, i, 'account'),
      partition: str(partition, i, 'partition'),
      qos: str(qos, i, 'QOS'),
      state: str(state, i, 'state'),
      gpus: u32(gpus, i, 'GPUs'),
      gpuTypes: str(gpuTypes, i, 'GPU types'),
      nodesExpr: dictValue(nodesExpr, i),
      submitTime: nullableU32(submitTime, i),
      startTime: nullableU32(startTime, i),
      endTime: u32(endTime, i, 'end time'),
      lostSeconds: u32(lostSeconds, i, 'lost seconds'),
      gpuSecondsLost: int(gpuSecondsLost, i, 'GPU-seconds lost'),
      restarts: nullableU32(restarts, i),
      day: str(day, i, 'day'),
      preemptor,
    };
  }
  return runs;
}

function decodeRequeues(h: PreemptionHistory, clusters: readonly string[]): RequeueCount[] {
  const n = h.requeueCount;
  const c = h.requeues;
  const cluster = decodeU32(c.cluster, n);
  const jobId = decodeDict(c.jobId, n);
  const jobIdRaw = decodeU32(c.jobIdRaw, n);
  const preempted = decodeU32(c.preempted, n);
  const requeued = decodeU32(c.requeued, n);
  const gpuSecondsLost = decodeF64(c.gpuSecondsLost, n);
  const restarts = decodeU32(c.restarts, n);
  const out: RequeueCount[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      cluster: clusterName(clusters, cluster, i),
      jobId: str(jobId, i, 'job id'),
      jobIdRaw: u32(jobIdRaw, i, 'job id'),
      preempted: u32(preempted, i, 'preempted'),
      requeued: u32(requeued, i, 'requeued'),
      gpuSecondsLost: int(gpuSecondsLost, i, 'GPU-seconds lost'),
      restarts: nullableU32(restarts, i),
    };
  }
  return out;
}

/** The answer of `preemptions.list` with its columns turned back into rows (throws ColumnCodecError on a malformed one). */
export function decodePreemptions(h: PreemptionHistory): PreemptionsData {
  const { count: _count, runs: _runs, requeueCount: _requeueCount, requeues: _requeues, ...rest } = h;
  const names = h.clusters.map((c) => c.name);
  return { ...rest, runs: decodeRuns(h, names), requeues: decodeRequeues(h, names) };
}
