// Every field of a node and a queued job, once: test files build their own defaults on top of these
// (`modelNode(name, { ...their defaults, ...over })`). Pure: no SQLite, usable from any unit test.
import type { QueuedJob } from '../../shared/model/job';
import type { SlurmNode } from '../../shared/model/node';
import { emptyTres, type Tres } from '../../shared/model/tres';

export function tres(t: Partial<Tres>): Tres {
  return { ...emptyTres(), ...t };
}

/** An idle node in `gpu` without GPUs, CPUs or memory in use; callers give what matters to them. */
export function modelNode(name: string, over: Partial<SlurmNode> = {}): SlurmNode {
  return {
    name,
    state: 'IDLE',
    flags: [],
    reason: null,
    reasonUser: null,
    reasonTime: null,
    partitions: ['gpu'],
    cpus: { total: 64, allocated: 0 },
    memoryMiB: { total: 512_000, allocated: 0 },
    gpus: [],
    features: [],
    otherGres: null,
    ...over,
  };
}

/** A pending 1-CPU batch job of alice in account nlp, partition gpu, asking for nothing else. */
export function modelJob(jobIdRaw: number, over: Partial<QueuedJob> = {}): QueuedJob {
  return {
    jobId: String(jobIdRaw),
    jobIdRaw,
    arrayJobId: null,
    arrayTaskId: null,
    arrayTaskRange: null,
    name: `train-${jobIdRaw}`,
    user: 'alice',
    account: 'nlp',
    partition: 'gpu',
    qos: 'normal',
    state: 'PENDING',
    reason: 'Resources',
    priority: 1000,
    tresReq: emptyTres(),
    tresAlloc: null,
    gpusPerNode: null,
    gpuType: null,
    nodesExpr: null,
    nodes: [],
    numNodes: 1,
    numCpus: 1,
    submitTime: 1_700_000_000,
    startTime: null,
    endTime: null,
    timeLimit: 86_400,
    restarts: 0,
    batch: true,
    requeueable: true,
    dependency: null,
    ...over,
  };
}
