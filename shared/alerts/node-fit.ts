// Can a pending job start on the free resources of a set of nodes? The stranded-GPU rule uses this to tell
// the causes apart: GPUs free but spread too thin for any request per node (fragmentation), GPUs free on
// nodes whose CPUs or memory are taken, or a job that fits now and waits for another reason.
import type { QueuedJob } from '../model/job';
import type { SlurmNode } from '../model/node';
import { jobGpuCount } from '../fleet/cluster-status';

/** Free resources of one node. GPU counts per type (`null` key: untyped GPUs). */
export interface NodeFree {
  node: string;
  gpus: Map<string | null, number>;
  gpusTotal: number;
  cpus: number;
  memMiB: number;
}

export function nodeFree(node: SlurmNode): NodeFree {
  const gpus = new Map<string | null, number>();
  let total = 0;
  for (const g of node.gpus) {
    const free = Math.max(0, g.total - g.used);
    gpus.set(g.type, (gpus.get(g.type) ?? 0) + free);
    total += g.total;
  }
  return {
    node: node.name,
    gpus,
    gpusTotal: total,
    cpus: Math.max(0, node.cpus.total - node.cpus.allocated),
    memMiB: Math.max(0, node.memoryMiB.total - node.memoryMiB.allocated),
  };
}

/** What a pending job needs on each of its nodes. */
export interface PerNodeRequest {
  nodes: number;
  /** GPU types it accepts; null = any type. */
  types: string[] | null;
  gpus: number;
  cpus: number;
  memMiB: number;
  /** GPUs over all its nodes. */
  totalGpus: number;
}

export function perNodeRequest(job: QueuedJob): PerNodeRequest {
  const nodes = Math.max(1, job.numNodes);
  const totalGpus = jobGpuCount(job);
  const typed = Object.keys(job.tresReq.gpuByType).filter((t) => (job.tresReq.gpuByType[t] ?? 0) > 0);
  const types = typed.length > 0 ? typed : job.gpuType ? [job.gpuType] : null;
  return {
    nodes,
    types,
    gpus: job.gpusPerNode ?? Math.ceil(totalGpus / nodes),
    cpus: Math.ceil(Math.max(job.numCpus, job.tresReq.cpu) / nodes),
    memMiB: job.tresReq.memMiB > 0 ? Math.ceil(job.tresReq.memMiB / nodes) : 0,
    totalGpus,
  };
}

/** Free GPUs of the node the request can use (its type, or any type). */
export function usableGpus(free: NodeFree, types: string[] | null): number {
  let n = 0;
  for (const [type, count] of free.gpus) if (types === null || (type !== null && types.includes(type))) n += count;
  return n;
}

export type FitVerdict = 'fits' | 'cpu-or-memory' | 'gpus-per-node' | 'too-few-gpus';

/**
 * Whether the request fits on the free nodes now: `fits`; `cpu-or-memory` (enough nodes with the GPUs, but
 * their CPUs or memory are taken); `gpus-per-node` (enough free GPUs in total, but not enough on enough
 * nodes: fragmentation); `too-few-gpus` (fewer usable GPUs free than it needs in total).
 */
export function fitVerdict(req: PerNodeRequest, frees: readonly NodeFree[]): FitVerdict {
  let gpuNodes = 0;
  let fullNodes = 0;
  let usable = 0;
  for (const f of frees) {
    const g = usableGpus(f, req.types);
    usable += g;
    if (g >= req.gpus) {
      gpuNodes++;
      if (f.cpus >= req.cpus && f.memMiB >= req.memMiB) fullNodes++;
    }
  }
  if (fullNodes >= req.nodes) return 'fits';
  if (gpuNodes >= req.nodes) return 'cpu-or-memory';
  if (usable >= req.totalGpus) return 'gpus-per-node';
  return 'too-few-gpus';
}
