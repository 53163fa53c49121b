// The synthetic cluster the bench generates outputs for: 1,000 nodes, 5,000 GPUs of three types, CPU
// nodes, a preemptible partition sharing the GPU nodes, ~400 users in ~40 accounts. Shaped after real
// university / lab clusters (and the test bed's naming), so parsers and the store see realistic values.
import { Random } from './random';

export interface GenNode {
  name: string;
  gpuType: string | null;
  gpus: number;
  cpus: number;
  memMiB: number;
  partitions: string[];
}

export interface GenPartition {
  name: string;
  nodes: GenNode[];
  qos: string[];
  maxTimeSec: number | null;
  /** GPU billing weight per GPU (TRESBillingWeights GRES/gpu=...). */
  gpuWeight: number;
  priorityTier: number;
  preemptMode: 'OFF' | 'REQUEUE';
}

export interface GenUser {
  name: string;
  uid: number;
  group: string;
  accounts: string[];
}

export interface GenCluster {
  name: string;
  nodes: GenNode[];
  partitions: GenPartition[];
  users: GenUser[];
  accounts: string[];
  totalGpus: number;
}

const GPU_POOLS = [
  { prefix: 'gpu-h100', type: 'h100', count: 250, gpus: 8, cpus: 112, memGiB: 2000 },
  { prefix: 'gpu-a100', type: 'a100', count: 250, gpus: 8, cpus: 128, memGiB: 1000 },
  { prefix: 'gpu-l40s', type: 'l40s', count: 125, gpus: 8, cpus: 64, memGiB: 500 },
] as const;
const CPU_NODES = 375;

const ACCOUNT_WORDS = ['vision', 'nlp', 'speech', 'robotics', 'genomics', 'climate', 'astro', 'materials', 'chem', 'fluids', 'bio', 'neuro', 'econ', 'quantum', 'hep', 'seismo', 'optics', 'graphics', 'security', 'systems'];

export function buildCluster(seed = 42, name = 'bench'): GenCluster {
  const rnd = new Random(seed);
  const nodes: GenNode[] = [];
  for (const pool of GPU_POOLS) {
    for (let i = 1; i <= pool.count; i++) {
      nodes.push({
        name: `${pool.prefix}-${String(i).padStart(3, '0')}`,
        gpuType: pool.type,
        gpus: pool.gpus,
        cpus: pool.cpus,
        memMiB: pool.memGiB * 1024,
        partitions: pool.type === 'l40s' ? ['gpu', 'gpu-preempt', 'interactive'] : ['gpu', 'gpu-preempt'],
      });
    }
  }
  for (let i = 1; i <= CPU_NODES; i++) {
    nodes.push({ name: `cpu-${String(i).padStart(3, '0')}`, gpuType: null, gpus: 0, cpus: 192, memMiB: 768 * 1024, partitions: i <= 16 ? ['cpu', 'debug'] : ['cpu'] });
  }
  const inPartition = (p: string) => nodes.filter((n) => n.partitions.includes(p));
  const partitions: GenPartition[] = [
    { name: 'gpu', nodes: inPartition('gpu'), qos: ['normal', 'high', 'long'], maxTimeSec: 2 * 86400, gpuWeight: 16, priorityTier: 10, preemptMode: 'OFF' },
    { name: 'gpu-preempt', nodes: inPartition('gpu-preempt'), qos: ['low'], maxTimeSec: 7 * 86400, gpuWeight: 4, priorityTier: 1, preemptMode: 'REQUEUE' },
    { name: 'interactive', nodes: inPartition('interactive'), qos: ['normal'], maxTimeSec: 8 * 3600, gpuWeight: 8, priorityTier: 20, preemptMode: 'OFF' },
    { name: 'cpu', nodes: inPartition('cpu'), qos: ['normal', 'long'], maxTimeSec: null, gpuWeight: 0, priorityTier: 10, preemptMode: 'OFF' },
    { name: 'debug', nodes: inPartition('debug'), qos: ['debug'], maxTimeSec: 3600, gpuWeight: 0, priorityTier: 30, preemptMode: 'OFF' },
  ];
  const accounts: string[] = [];
  for (const word of ACCOUNT_WORDS) accounts.push(`${word}-lab`, `${word}-ext`);
  const users: GenUser[] = [];
  const syllables = ['ka', 'ri', 'mo', 'ta', 'ne', 'lu', 'sa', 'po', 'di', 've', 'jo', 'an', 'el', 'or', 'ix'];
  for (let i = 0; i < 400; i++) {
    const stem = `${rnd.pick(syllables)}${rnd.pick(syllables)}${rnd.pick(syllables)}`;
    const name = `${stem}${i}`;
    const home = rnd.pick(accounts);
    const extra = rnd.chance(0.3) ? [rnd.pick(accounts)] : [];
    users.push({ name, uid: 20000 + i, group: rnd.chance(0.7) ? name : home, accounts: [...new Set([home, ...extra])] });
  }
  const totalGpus = nodes.reduce((a, n) => a + n.gpus, 0);
  return { name, nodes, partitions, users, accounts, totalGpus };
}
