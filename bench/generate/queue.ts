// Generates the queue (`squeue`) of the synthetic cluster as the parser produces it: running jobs placed on
// real node capacity (GPU nodes filled to ~90 %, one node each: enough for a table bench), and the
// rest pending for the reasons real schedulers give (Priority and Resources most, holds, dependencies,
// limits), with pending array remainders `A_[k-n%m]` kept as one record, as squeue prints them.
import type { QueuedJob } from '../../shared/model/job';
import { emptyTres, type Tres } from '../../shared/model/tres';
import type { GenCluster, GenNode, GenUser } from './cluster';
import { Random } from './random';

export interface QueueOptions {
  jobs: number;
  /** Epoch seconds: when squeue ran. */
  now: number;
  seed?: number;
}

const NAMES = ['train', 'eval', 'finetune', 'pretrain', 'sweep', 'preprocess', 'tokenize', 'infer', 'bench', 'render', 'align', 'simulate', 'notebook', 'export'];
const MODELS = ['llama-7b', 'llama-70b', 'vit-l', 'resnet50', 'whisper', 'bert-base', 'sd-xl', 'gnn', 'mamba', 'moe-8x7b'];
const PENDING_REASONS = [
  ['Priority', 50], ['Resources', 25], ['Dependency', 6], ['BeginTime', 2], ['JobHeldUser', 2], ['JobHeldAdmin', 1],
  ['AssocGrpGRES', 5], ['QOSMaxGRESPerUser', 5], ['ReqNodeNotAvail, UnavailableNodes:gpu-h100-[007-009]', 2], ['JobArrayTaskLimit', 2],
] as const;
const TIME_LIMITS = [3600, 4 * 3600, 8 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400];

function tres(cpu: number, memMiB: number, node: number, gpus: number, type: string | null, billing: number): Tres {
  return { ...emptyTres(), cpu, memMiB, node, billing, gpu: gpus, gpuByType: type && gpus ? { [type]: gpus } : {} };
}

export function generateQueue(cluster: GenCluster, opts: QueueOptions): QueuedJob[] {
  const rnd = new Random(opts.seed ?? 7);
  const jobs: QueuedJob[] = [];
  let nextId = 4_100_000;
  const base = (user: GenUser, partition: string, qos: string): Omit<QueuedJob, 'state' | 'reason' | 'tresReq' | 'tresAlloc' | 'gpusPerNode' | 'gpuType' | 'nodesExpr' | 'nodes' | 'numNodes' | 'numCpus' | 'startTime' | 'endTime'> => {
    const id = nextId++;
    const limit = rnd.pick(TIME_LIMITS);
    return {
      jobId: String(id), jobIdRaw: id, arrayJobId: null, arrayTaskId: null, arrayTaskRange: null,
      name: `${rnd.pick(NAMES)}-${rnd.pick(MODELS)}${rnd.chance(0.3) ? `-run${rnd.int(1, 300)}` : ''}`,
      user: user.name, account: rnd.pick(user.accounts), partition, qos,
      priority: rnd.int(1000, 200_000), submitTime: opts.now - Math.floor(rnd.exp(6 * 3600)) - 60,
      timeLimit: rnd.chance(0.02) ? null : limit, restarts: rnd.chance(0.04) ? rnd.int(1, 3) : 0,
      batch: !rnd.chance(0.04), requeueable: rnd.chance(0.9), dependency: null,
    };
  };
  const gpuPartition = (n: GenNode) => (n.partitions.includes('gpu-preempt') && rnd.chance(0.25) ? 'gpu-preempt' : rnd.chance(0.08) && n.partitions.includes('interactive') ? 'interactive' : 'gpu');

  // Running: fill GPU nodes to ~90 % with 1–8 GPU jobs, some multi-node; CPU nodes with CPU jobs.
  const running = Math.floor(opts.jobs * 0.3);
  for (const node of cluster.nodes) {
    if (jobs.length >= running) break;
    let free = node.gpus > 0 ? node.gpus : Math.floor(node.cpus / 8);
    while (free > (node.gpus > 0 ? 0 : 2) && jobs.length < running && rnd.chance(0.92)) {
      const user = rnd.pick(cluster.users);
      const want = Math.min(free, node.gpus > 0 ? rnd.weighted([[1, 30], [2, 25], [4, 25], [8, 20]] as const) : 1);
      free -= want;
      const gpus = node.gpus > 0 ? want : 0;
      const cpus = node.gpus > 0 ? want * Math.floor(node.cpus / node.gpus) : 8;
      const partition = node.gpus > 0 ? gpuPartition(node) : 'cpu';
      const qos = partition === 'gpu-preempt' ? 'low' : rnd.pick(['normal', 'normal', 'high', 'long']);
      const b = base(user, partition, qos);
      const start = Math.max(b.submitTime + rnd.int(5, 3600), opts.now - (b.timeLimit ?? 86400) + 60);
      const startTime = Math.min(opts.now - 5, start);
      const t = tres(cpus, cpus * 8192, 1, gpus, node.gpuType, cpus + gpus * 16);
      jobs.push({
        ...b, state: rnd.chance(0.005) ? 'COMPLETING' : 'RUNNING', reason: null, tresReq: t, tresAlloc: t,
        gpusPerNode: gpus || null, gpuType: gpus && rnd.chance(0.6) ? node.gpuType : null, nodesExpr: node.name, nodes: [node.name], numNodes: 1,
        numCpus: cpus, startTime, endTime: b.timeLimit === null ? null : startTime + b.timeLimit,
      });
    }
  }
  // Pending: the rest, some as array remainders.
  const gpuNodes = cluster.nodes.filter((n) => n.gpus > 0);
  while (jobs.length < opts.jobs) {
    const user = rnd.pick(cluster.users);
    const gpuJob = rnd.chance(0.7);
    const node = gpuJob ? rnd.pick(gpuNodes) : null;
    const partition = node ? gpuPartition(node) : 'cpu';
    const qos = partition === 'gpu-preempt' ? 'low' : rnd.pick(['normal', 'normal', 'high', 'long']);
    const b = base(user, partition, qos);
    const numNodes = gpuJob && rnd.chance(0.1) ? rnd.pick([2, 4, 8, 16]) : 1;
    const perNode = gpuJob ? rnd.weighted([[1, 30], [2, 25], [4, 25], [8, 20]] as const) : 0;
    const typed = gpuJob && rnd.chance(0.6) ? (node?.gpuType ?? null) : null;
    const cpus = gpuJob ? perNode * 14 * numNodes : rnd.pick([4, 8, 16, 32]);
    let reason: string = rnd.weighted(PENDING_REASONS);
    const pj: QueuedJob = {
      ...b, state: 'PENDING', reason, tresReq: tres(cpus, cpus * 8192, numNodes, perNode * numNodes, typed, cpus + perNode * numNodes * 16), tresAlloc: null,
      gpusPerNode: gpuJob ? perNode : null, gpuType: typed, nodesExpr: null, nodes: [], numNodes, numCpus: cpus, startTime: null, endTime: null,
    };
    if (rnd.chance(0.06)) {
      const first = rnd.int(0, 50);
      const last = first + rnd.int(5, 200);
      pj.arrayJobId = pj.jobIdRaw;
      pj.arrayTaskRange = `${first}-${last}${rnd.chance(0.5) ? `%${rnd.int(2, 16)}` : ''}`;
      pj.jobId = `${pj.jobIdRaw}_[${pj.arrayTaskRange}]`;
      if (reason === 'Resources' && rnd.chance(0.5)) reason = 'JobArrayTaskLimit';
      pj.reason = reason;
    }
    if (reason === 'Dependency') pj.dependency = `afterok:${pj.jobIdRaw - rnd.int(1, 500)}`;
    jobs.push(pj);
  }
  return jobs;
}
