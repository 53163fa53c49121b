// The numbers an ops manager reads first, computed the same way everywhere (CLI status, fleet overview):
//   allocated   GPUs in use by jobs;
//   unavailable unallocated GPUs on nodes that cannot take work (down, drained or draining, failing,
//               not responding, invalid, in maintenance);
//   idle        every other unallocated GPU;
//   total       allocated + idle + unavailable.
// Pending jobs count one per task: a pending array range `123_[5-9]` is five jobs and five times its GPUs,
// as `squeue -r` would list them.
import type { QueuedJob } from '../model/job';
import { nodeCanTakeWork, nodeStateLabel, type SlurmNode } from '../model/node';
import { arrayTaskCount } from '../slurm/parse/job-id';

export interface GpuCounts {
  total: number;
  allocated: number;
  idle: number;
  unavailable: number;
}

export interface ClusterStatusCounts {
  nodes: { total: number; byState: Record<string, number> };
  gpus: GpuCounts & { byType: Record<string, GpuCounts> };
  jobs: { running: number; pending: number; suspended: number; completing: number };
  /** GPUs requested by pending jobs (all tasks of pending array ranges). */
  pendingGpus: number;
}

function emptyGpus(): GpuCounts {
  return { total: 0, allocated: 0, idle: 0, unavailable: 0 };
}

function add(into: GpuCounts, total: number, used: number, canWork: boolean): void {
  const allocated = Math.min(used, total);
  const free = total - allocated;
  into.total += total;
  into.allocated += allocated;
  if (canWork) into.idle += free;
  else into.unavailable += free;
}

/** Tasks a queue record stands for (1, or the size of a pending array range). */
export function taskCount(job: Pick<QueuedJob, 'arrayTaskRange'>): number {
  if (!job.arrayTaskRange) return 1;
  try {
    return arrayTaskCount(job.arrayTaskRange);
  } catch {
    return 1;
  }
}

/** GPUs a job holds (running) or asks for (pending), per task. */
export function jobGpuCount(job: Pick<QueuedJob, 'tresAlloc' | 'tresReq' | 'gpusPerNode' | 'numNodes'>): number {
  if (job.tresAlloc && job.tresAlloc.gpu > 0) return job.tresAlloc.gpu;
  if (job.tresReq.gpu > 0) return job.tresReq.gpu;
  return job.gpusPerNode !== null ? job.gpusPerNode * Math.max(1, job.numNodes) : 0;
}

/** What the queue counts need of a job: its state, its pending array range, and its GPUs per task. */
export interface QueueCountRow {
  state: string;
  arrayTaskRange: string | null;
  /** jobGpuCount of the job (the store keeps it as a column). */
  gpus: number;
}

export function nodeStatusCounts(nodes: readonly SlurmNode[]): Pick<ClusterStatusCounts, 'nodes' | 'gpus'> {
  const byState: Record<string, number> = {};
  const gpus = { ...emptyGpus(), byType: {} as Record<string, GpuCounts> };
  for (const node of nodes) {
    const label = nodeStateLabel(node);
    byState[label] = (byState[label] ?? 0) + 1;
    const canWork = nodeCanTakeWork(node);
    for (const g of node.gpus) {
      add(gpus, g.total, g.used, canWork);
      const type = g.type ?? '(untyped)';
      add((gpus.byType[type] ??= emptyGpus()), g.total, g.used, canWork);
    }
  }
  return { nodes: { total: nodes.length, byState }, gpus };
}

export function queueStatusCounts(rows: Iterable<QueueCountRow>): Pick<ClusterStatusCounts, 'jobs' | 'pendingGpus'> {
  const counts = { running: 0, pending: 0, suspended: 0, completing: 0 };
  let pendingGpus = 0;
  for (const job of rows) {
    const tasks = taskCount(job);
    switch (job.state) {
      case 'RUNNING':
        counts.running += tasks;
        break;
      case 'PENDING':
        counts.pending += tasks;
        pendingGpus += tasks * job.gpus;
        break;
      case 'SUSPENDED':
        counts.suspended += tasks;
        break;
      case 'COMPLETING':
        counts.completing += tasks;
        break;
    }
  }
  return { jobs: counts, pendingGpus };
}

export function clusterStatusCounts(nodes: readonly SlurmNode[], jobs: readonly QueuedJob[]): ClusterStatusCounts {
  return { ...nodeStatusCounts(nodes), ...queueStatusCounts(jobs.map((j) => ({ state: j.state, arrayTaskRange: j.arrayTaskRange, gpus: jobGpuCount(j) }))) };
}
