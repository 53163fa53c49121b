// Which nodes each partition has, and which partitions a pending job may start in.
import type { QueuedJob } from '../../model/job';
import type { SlurmNode } from '../../model/node';
import type { AlertInput } from '../types';

/** partition -> its nodes (from the partitions snapshot, or from the nodes' own partition lists). */
export function partitionNodes(input: Pick<AlertInput, 'nodes' | 'partitions'>): Map<string, SlurmNode[]> {
  const byName = new Map(input.nodes.map((n) => [n.name, n]));
  const out = new Map<string, SlurmNode[]>();
  if (input.partitions) {
    for (const p of input.partitions) out.set(p.name, p.nodes.map((n) => byName.get(n)).filter((n): n is SlurmNode => n !== undefined));
    return out;
  }
  for (const n of input.nodes) {
    for (const p of n.partitions) {
      const list = out.get(p) ?? [];
      list.push(n);
      out.set(p, list);
    }
  }
  return out;
}

/** A job submitted to several partitions (`-p gpu,gpu-low`) is pending in each. */
export function jobPartitions(job: Pick<QueuedJob, 'partition'>): string[] {
  return job.partition
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Pending reasons that mean "waiting for resources to free up", as opposed to holds, limits or dependencies. */
const WAITING_FOR_RESOURCES = new Set(['Resources', 'Priority']);

/** A pending GPU job waiting for resources (Resources / Priority). */
export function waitsForGpus(job: QueuedJob, gpus: number): boolean {
  return job.state === 'PENDING' && job.reason !== null && WAITING_FOR_RESOURCES.has(job.reason) && gpus > 0;
}

export function nodeGpuCount(node: SlurmNode): number {
  return node.gpus.reduce((a, g) => a + g.total, 0);
}
