// Small model objects for the alert rule and lifecycle tests: a node, a job and an input with realistic
// defaults that each test overrides field by field. Kept here (not the store builders) so these pure tests
// do not pull in SQLite.
import type { AlertInput, AlertSettings, AlertState, Finding, UtilizationReading } from '../../../../shared/alerts/types';
import type { QueuedJob } from '../../../../shared/model/job';
import type { NodeGpus, SlurmNode } from '../../../../shared/model/node';
import type { Partition } from '../../../../shared/model/partition';
import { modelJob, modelNode, tres } from '../../model-builders';

/** Evaluation time used throughout: 2023-11-14T22:13:20Z. */
export const T0 = 1_700_000_000;
export const MIN = 60;

export { tres };

/** GPUs of one type: `[type, total, used]`. */
export function gpus(...list: [string | null, number, number][]): NodeGpus[] {
  return list.map(([type, total, used]) => ({ type, total, used, usedIndices: null }));
}

/** An idle in-service node in `gpu` with 4 free a100 GPUs, 64 CPUs and 512 GB, nothing allocated. */
export function node(name: string, over: Partial<SlurmNode> = {}): SlurmNode {
  return modelNode(name, { gpus: gpus(['a100', 4, 0]), ...over });
}

/** A pending GPU job waiting for resources: 1 node, `gpus` GPUs of any type, 4 CPUs, 16 GB. */
export function pendingJob(id: number, gpuCount: number, over: Partial<QueuedJob> = {}): QueuedJob {
  return job(id, {
    state: 'PENDING',
    reason: 'Resources',
    tresReq: tres({ cpu: 4, memMiB: 16_000, node: 1, gpu: gpuCount }),
    tresAlloc: null,
    gpusPerNode: null,
    numCpus: 4,
    nodes: [],
    nodesExpr: null,
    startTime: null,
    ...over,
  });
}

/** A running job on gpu-01 holding `gpus` GPUs. */
export function runningJob(id: number, gpuCount: number, over: Partial<QueuedJob> = {}): QueuedJob {
  return job(id, {
    state: 'RUNNING',
    reason: null,
    tresReq: tres({ cpu: 8, memMiB: 32_000, node: 1, gpu: gpuCount }),
    tresAlloc: tres({ cpu: 8, memMiB: 32_000, node: 1, gpu: gpuCount }),
    nodes: ['gpu-01'],
    nodesExpr: 'gpu-01',
    startTime: T0 - 3600,
    ...over,
  });
}

export function job(id: number, over: Partial<QueuedJob> = {}): QueuedJob {
  return modelJob(id, { submitTime: T0 - 7200, ...over });
}

export function partition(name: string, nodes: string[], over: Partial<Partition> = {}): Partition {
  return {
    name,
    nodesExpr: nodes.join(','),
    nodes,
    state: 'UP',
    isDefault: false,
    priorityTier: 1,
    priorityJobFactor: 1,
    preemptMode: 'OFF',
    tresBillingWeights: null,
    qos: null,
    allowQos: ['ALL'],
    maxTime: null,
    defaultTime: null,
    totalCpus: 64 * nodes.length,
    totalNodes: nodes.length,
    ...over,
  };
}

export function input(over: Partial<AlertInput> = {}): AlertInput {
  return {
    cluster: 'alpha',
    at: T0,
    nodes: [],
    partitions: null,
    jobs: [],
    outOfServiceHistory: {},
    partitionWindow: {},
    utilization: null,
    ...over,
  };
}

export function settings(over: Partial<AlertSettings> = {}): AlertSettings {
  return { global: {}, clusters: {}, ...over };
}

export function reading(jobs: { jobId: string; perGpu: [string, number | null, number][] }[], source: 'nvidia-smi' | 'slurm-gpuutil' | 'prometheus-dcgm' = 'nvidia-smi'): UtilizationReading {
  return {
    available: true,
    source,
    at: T0 - 30,
    warnings: [],
    jobs: jobs.map((j) => {
      const pcts = j.perGpu.map(([, , pct]) => pct);
      return {
        jobId: j.jobId,
        gpusMeasured: j.perGpu.length,
        meanPct: pcts.length ? pcts.reduce((a, b) => a + b, 0) / pcts.length : 0,
        maxPct: pcts.length ? Math.max(...pcts) : 0,
        perGpu: j.perGpu.map(([n, gpuIndex, utilPct]) => ({ node: n, gpuIndex, utilPct })),
      };
    }),
  };
}

/** A finding as a rule would produce it; lifecycle tests vary subject, hold, since, severity and GPUs. */
export function finding(over: Partial<Finding> & { gpus?: number } = {}): Finding {
  const { gpus: gpuCount = 4, ...rest } = over;
  return {
    rule: 'gpus-out-of-service',
    subject: 'reason:xid 79',
    severity: 'warning',
    title: `${gpuCount} GPUs out of service on gpu-01: xid 79`,
    body: 'gpu-01 (drained, 4/4 GPUs) — reason "xid 79".',
    holdSeconds: 5 * MIN,
    since: null,
    detail: { gpus: gpuCount },
    links: { nodes: ['gpu-01'], jobs: [], partition: null },
    ...rest,
  };
}

/** An alert state in a given status, as the store would hand it back. */
export function state(over: Partial<AlertState> = {}): AlertState {
  return {
    cluster: 'alpha',
    rule: 'gpus-out-of-service',
    subject: 'reason:xid 79',
    status: 'open',
    severity: 'warning',
    title: '4 GPUs out of service on gpu-01: xid 79',
    body: 'gpu-01 (drained, 4/4 GPUs) — reason "xid 79".',
    detail: { gpus: 4 },
    links: { nodes: ['gpu-01'], jobs: [], partition: null },
    since: T0 - 3600,
    openedAt: T0 - 3000,
    lastSeen: T0 - 60,
    clearSince: null,
    resolvedAt: null,
    occurrences: 1,
    ackBy: null,
    ackAt: null,
    snoozedUntil: null,
    notifiedAt: T0 - 3000,
    ...over,
  };
}
