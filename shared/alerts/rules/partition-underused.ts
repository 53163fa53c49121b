// Partition underused: a GPU partition whose allocated share stayed below Y % over the window while GPU jobs
// waited for resources in other partitions — capacity in the wrong place (partition limits, QOS, or users
// not allowed in it). The window average comes from the stored node samples.
import { jobGpuCount, taskCount } from '../../fleet/cluster-status';
import { paramsFor } from '../params';
import type { AlertInput, AlertSettings, Finding } from '../types';
import { jobPartitions, nodeGpuCount, partitionNodes, waitsForGpus } from './partition-nodes';

/** Share of the window the samples must cover before the rule speaks (a console just started knows too little). */
export const MIN_WINDOW_COVERAGE = 0.8;

export function partitionUnderusedFindings(input: AlertInput, settings: AlertSettings): Finding[] {
  const findings: Finding[] = [];
  const waiting = input.jobs.filter((j) => waitsForGpus(j, jobGpuCount(j)));
  for (const [partition, nodes] of partitionNodes(input)) {
    const params = paramsFor(settings, input.cluster, partition);
    if (!params.enabled['partition-underused']) continue;
    const gpus = nodes.reduce((a, n) => a + nodeGpuCount(n), 0);
    const w = input.partitionWindow[partition];
    if (gpus === 0 || !w || w.totalGpuSeconds <= 0) continue;
    const windowS = params.underusedWindowMinutes * 60;
    if (w.coveredSeconds < MIN_WINDOW_COVERAGE * windowS) continue;
    const share = (100 * w.allocGpuSeconds) / w.totalGpuSeconds;
    if (share >= params.underusedPct) continue;
    const elsewhere = waiting.filter((j) => !jobPartitions(j).includes(partition));
    if (elsewhere.length === 0) continue;
    const where = [...new Set(elsewhere.flatMap(jobPartitions))].sort();
    // Jobs as squeue -r lists them: a pending array range `123_[5-9]` is five jobs and five times its GPUs.
    const waitingJobs = elsewhere.reduce((a, j) => a + taskCount(j), 0);
    const waitingGpus = elsewhere.reduce((a, j) => a + jobGpuCount(j) * taskCount(j), 0);
    findings.push({
      rule: 'partition-underused',
      subject: `partition:${partition}`,
      severity: 'info',
      title: `${partition} used ${share.toFixed(0)} % of its ${gpus} GPUs while jobs waited in ${where.join(', ')}`,
      body:
        `Over the last ${params.underusedWindowMinutes} min, ${partition} had ${share.toFixed(1)} % of its GPUs allocated ` +
        `(threshold ${params.underusedPct} %), while ${waitingJobs} GPU job${waitingJobs === 1 ? '' : 's'} asking for ${waitingGpus} GPUs waited in ${where.join(', ')}.`,
      holdSeconds: 0,
      since: null,
      detail: { sharePct: Math.round(share * 10) / 10, gpus, windowMinutes: params.underusedWindowMinutes, waitingJobs, waitingGpus, waitingIn: where },
      links: { nodes: [], jobs: elsewhere.slice(0, 20).map((j) => j.jobId), partition },
    });
  }
  return findings;
}
