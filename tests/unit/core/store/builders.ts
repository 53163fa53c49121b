// Model objects for store tests, with realistic defaults a test overrides field by field.
import type { ClusterConfig } from '../../../../shared/model/cluster';
import type { QueuedJob } from '../../../../shared/model/job';
import type { SlurmNode } from '../../../../shared/model/node';
import type { Partition } from '../../../../shared/model/partition';
import type { AccountingRun } from '../../../../shared/model/run';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import { openStore, type Store } from '../../../../electron/core/store/db';
import { modelJob, modelNode, tres } from '../../model-builders';

export function clusterConfig(name: string): ClusterConfig {
  return { name, host: `${name}.example.org`, port: 22, user: 'ops', auth: { kind: 'agent' }, jump: [], knownHostsFiles: [], poll: { queue: 60, accounting: 300, fairshare: 900 }, enabled: true };
}

/** A store in `dir` with the named clusters configured (UTC unless a zone is given). */
export function storeWith(dir: string, clusters: (string | { name: string; timeZone: string })[]): Store {
  const store = openStore({ dataDir: dir });
  const repo = new ClustersRepo(store.db);
  for (const c of clusters) {
    const name = typeof c === 'string' ? c : c.name;
    const id = repo.save(clusterConfig(name), 1_700_000_000);
    if (typeof c !== 'string') {
      repo.saveCapabilities(id, {
        slurmVersion: '24.11.5', json: {}, accounting: true, accountingError: null, user: 'ops', adminLevel: 'Operator', coordinatorOf: [],
        privateData: [], timeZone: c.timeZone, commands: {}, probedAt: 1_700_000_000,
      });
    }
  }
  return store;
}

export { tres };

export function gpuNode(name: string, over: Partial<SlurmNode> = {}): SlurmNode {
  return modelNode(name, {
    state: 'MIXED',
    cpus: { total: 128, allocated: 64 },
    memoryMiB: { total: 1_024_000, allocated: 512_000 },
    gpus: [{ type: 'a100', total: 8, used: 4, usedIndices: [0, 1, 2, 3] }],
    features: ['a100', 'ib'],
    ...over,
  });
}

/** A running 2-node job holding 4 a100 per node. */
export function job(jobIdRaw: number, over: Partial<QueuedJob> = {}): QueuedJob {
  return modelJob(jobIdRaw, {
    state: 'RUNNING',
    reason: null,
    priority: 10_000,
    tresReq: tres({ cpu: 16, memMiB: 64_000, node: 1, billing: 80, gpu: 4, gpuByType: { a100: 4 } }),
    tresAlloc: tres({ cpu: 16, memMiB: 64_000, node: 1, billing: 80, gpu: 4, gpuByType: { a100: 4 } }),
    gpusPerNode: 4,
    gpuType: 'a100',
    nodesExpr: 'gpu-[01-02]',
    nodes: ['gpu-01', 'gpu-02'],
    numNodes: 2,
    numCpus: 16,
    startTime: 1_700_000_100,
    endTime: 1_700_086_500,
    ...over,
  });
}

export function run(jobIdRaw: number, over: Partial<AccountingRun> = {}): AccountingRun {
  return {
    jobId: String(jobIdRaw),
    jobIdRaw,
    arrayJobId: null,
    arrayTaskId: null,
    name: `train-${jobIdRaw}`,
    user: 'alice',
    account: 'nlp',
    partition: 'gpu',
    qos: 'normal',
    state: 'COMPLETED',
    stateDetail: null,
    exitCode: { code: 0, signal: 0 },
    submitTime: 1_700_000_000,
    eligibleTime: 1_700_000_000,
    startTime: 1_700_000_100,
    endTime: 1_700_003_700,
    elapsed: 3600,
    timeLimit: 86_400,
    allocTres: tres({ cpu: 16, memMiB: 64_000, node: 1, billing: 80, gpu: 4, gpuByType: { a100: 4 } }),
    reqTres: tres({ cpu: 16, memMiB: 64_000, node: 1, billing: 80, gpu: 4, gpuByType: { a100: 4 } }),
    nodesExpr: 'gpu-01',
    nodes: ['gpu-01'],
    restarts: null,
    ...over,
  };
}

export function partition(name: string, over: Partial<Partition> = {}): Partition {
  return {
    name,
    nodesExpr: 'gpu-[01-04]',
    nodes: ['gpu-01', 'gpu-02', 'gpu-03', 'gpu-04'],
    state: 'UP',
    isDefault: false,
    priorityTier: 1,
    priorityJobFactor: 1,
    preemptMode: 'REQUEUE',
    tresBillingWeights: 'CPU=1.0,GRES/gpu=16.0',
    qos: null,
    allowQos: ['ALL'],
    maxTime: 172_800,
    defaultTime: null,
    totalCpus: 512,
    totalNodes: 4,
    ...over,
  };
}
