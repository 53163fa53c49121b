// Stranded GPUs: GPUs free on nodes that can take work, while GPU jobs that may run on those nodes wait for
// resources (pending with reason Resources or Priority). One finding per partition. It says how many GPUs
// and where, which waiting jobs could have used them, and why they did not start:
//   fragmentation  enough GPUs free in total, but no node (or not enough nodes) has the per-node request;
//   cpu-or-memory  nodes have the GPUs, but their CPUs or memory are taken by other jobs;
//   fits           a waiting job fits now: the scheduler holds it back (priority order, limits, backfill);
//   too-few        fewer GPUs free than any waiting job needs (the scheduler may be draining for a big job).
// Nodes in a reservation (RESERVED) are left out: their free GPUs are kept free on purpose.
import { jobGpuCount, taskCount } from '../../fleet/cluster-status';
import type { QueuedJob } from '../../model/job';
import { nodeCanTakeWork } from '../../model/node';
import { fitVerdict, nodeFree, perNodeRequest, usableGpus, type FitVerdict, type NodeFree } from '../node-fit';
import { paramsFor } from '../params';
import type { AlertInput, AlertSettings, Finding } from '../types';
import { jobPartitions, nodeGpuCount, partitionNodes, waitsForGpus } from './partition-nodes';

export type StrandedCause = 'fits' | 'cpu-or-memory' | 'fragmentation' | 'too-few';

export interface WaitingJob {
  jobId: string;
  user: string;
  account: string;
  gpus: number;
  gpusPerNode: number;
  nodes: number;
  types: string[] | null;
  priority: number;
  reason: string;
  verdict: FitVerdict;
}

/** Most jobs a finding names. */
const MAX_JOBS_NAMED = 20;

export function strandedFindings(input: AlertInput, settings: AlertSettings): Finding[] {
  const findings: Finding[] = [];
  const waitingBy = new Map<string, QueuedJob[]>();
  for (const job of input.jobs) {
    if (!waitsForGpus(job, jobGpuCount(job))) continue;
    for (const p of jobPartitions(job)) waitingBy.set(p, [...(waitingBy.get(p) ?? []), job]);
  }
  for (const [partition, nodes] of partitionNodes(input)) {
    const params = paramsFor(settings, input.cluster, partition);
    if (!params.enabled['stranded-gpus']) continue;
    const waiting = waitingBy.get(partition) ?? [];
    if (waiting.length === 0) continue;
    const frees: NodeFree[] = nodes.filter((n) => nodeCanTakeWork(n) && !n.flags.includes('RESERVED') && nodeGpuCount(n) > 0).map(nodeFree);
    const jobs: WaitingJob[] = waiting.map((job) => {
      const req = perNodeRequest(job);
      return {
        jobId: job.jobId,
        user: job.user,
        account: job.account,
        gpus: req.totalGpus,
        gpusPerNode: req.gpus,
        nodes: req.nodes,
        types: req.types,
        priority: job.priority,
        reason: job.reason ?? '',
        verdict: fitVerdict(req, frees),
      };
    });
    // GPUs free that at least one waiting job could use (its type, or any type).
    const anyType = jobs.some((j) => j.types === null);
    const wanted = anyType ? null : [...new Set(jobs.flatMap((j) => j.types ?? []))];
    const usableNodes = frees.filter((f) => usableGpus(f, wanted) > 0);
    const free = usableNodes.reduce((a, f) => a + usableGpus(f, wanted), 0);
    if (free < Math.max(1, params.strandedMinGpus)) continue;
    const couldUse = jobs.filter((j) => j.verdict !== 'too-few-gpus').sort((a, b) => b.priority - a.priority);
    const cause: StrandedCause = couldUse.some((j) => j.verdict === 'fits')
      ? 'fits'
      : couldUse.some((j) => j.verdict === 'cpu-or-memory')
        ? 'cpu-or-memory'
        : couldUse.length > 0
          ? 'fragmentation'
          : 'too-few';
    const totalGpus = nodes.reduce((a, n) => a + nodeGpuCount(n), 0);
    // Jobs as squeue -r lists them: a pending array range `123_[5-9]` is five waiting jobs.
    const waitingTasks = waiting.reduce((a, j) => a + taskCount(j), 0);
    const largestBlock = Math.max(0, ...usableNodes.map((f) => usableGpus(f, wanted)));
    const perNode = usableNodes.map((f) => ({ node: f.node, free: usableGpus(f, wanted), cpus: f.cpus, memMiB: f.memMiB }));
    const candidates = couldUse.length ? couldUse : [...jobs].sort((a, b) => b.priority - a.priority);
    const named = candidates.slice(0, MAX_JOBS_NAMED);
    const why: Record<StrandedCause, string> = {
      fits: 'a waiting job fits now; the scheduler is holding it back (priority order, limits or backfill)',
      'cpu-or-memory': "the nodes with free GPUs have too few free CPUs or too little memory for the waiting jobs",
      fragmentation: `fragmentation: the free GPUs are spread so no waiting job's per-node request fits (largest free block ${largestBlock} GPU${largestBlock === 1 ? '' : 's'} on one node)`,
      'too-few': 'fewer GPUs are free than any waiting job needs',
    };
    const jobText = named
      .slice(0, 5)
      .map((j) => `${j.jobId} (${j.user}, ${j.gpus} GPU${j.gpus === 1 ? '' : 's'}${j.nodes > 1 || j.gpusPerNode !== j.gpus ? `, ${j.gpusPerNode}/node` : ''})`)
      .join(', ');
    findings.push({
      rule: 'stranded-gpus',
      subject: `partition:${partition}`,
      severity: free >= Math.max(8, totalGpus / 4) ? 'critical' : 'warning',
      title: `${free} GPU${free === 1 ? '' : 's'} free in ${partition} while ${waitingTasks} GPU job${waitingTasks === 1 ? ' waits' : 's wait'}`,
      body:
        `${free} GPU${free === 1 ? '' : 's'} free on ${usableNodes.length} node${usableNodes.length === 1 ? '' : 's'} (${perNode.map((p) => `${p.node}: ${p.free}`).join(', ')}); ` +
        `${couldUse.length ? 'could have used them' : 'waiting'}: ${jobText}${candidates.length > 5 ? ` and ${candidates.length - 5} more` : ''}. Why: ${why[cause]}.`,
      holdSeconds: params.strandedMinutes * 60,
      since: null,
      detail: { gpus: free, partitionGpus: totalGpus, cause, fragmentation: cause === 'fragmentation', largestBlock, nodes: perNode, jobs: named, waiting: waitingTasks },
      links: { nodes: perNode.map((p) => p.node), jobs: named.map((j) => j.jobId), partition },
    });
  }
  return findings;
}
