// Allocated but idle: a running job holds GPUs that do next to nothing. Needs a utilization source (nvidia-smi
// on the nodes, Slurm's gres/gpuutil, or DCGM through Prometheus); without one the rule is reported as
// unavailable for the cluster, never silently quiet. One finding per job; every finding names its source.
import { jobGpuCount } from '../../fleet/cluster-status';
import { paramsFor } from '../params';
import type { AlertInput, AlertSettings, Finding } from '../types';

export function allocatedIdleFindings(input: AlertInput, settings: AlertSettings): Finding[] {
  const reading = input.utilization;
  if (!reading || !reading.available) return [];
  const jobs = new Map(input.jobs.map((j) => [j.jobId, j]));
  const findings: Finding[] = [];
  for (const u of reading.jobs) {
    const job = jobs.get(u.jobId);
    // Only jobs still running in this snapshot: a sample of a job that ended meanwhile says nothing.
    if (!job || job.state !== 'RUNNING' || u.gpusMeasured <= 0) continue;
    const params = paramsFor(settings, input.cluster, job.partition.split(',')[0] ?? null);
    if (!params.enabled['allocated-idle'] || u.meanPct > params.idleUtilPct) continue;
    const gpus = jobGpuCount(job);
    const idleGpus = u.perGpu.filter((g) => g.utilPct <= params.idleUtilPct).length;
    const nodes = [...new Set(u.perGpu.map((g) => g.node))];
    findings.push({
      rule: 'allocated-idle',
      subject: `job:${u.jobId}`,
      severity: gpus >= 4 ? 'warning' : 'info',
      title: `Job ${u.jobId} (${job.user}) holds ${gpus} GPU${gpus === 1 ? '' : 's'} at ${Math.round(u.meanPct)} % utilization`,
      body:
        `${idleGpus} of the ${u.gpusMeasured} GPU${u.gpusMeasured === 1 ? '' : 's'} measured are at or below ${params.idleUtilPct} % ` +
        `(mean ${u.meanPct.toFixed(1)} %, busiest ${Math.round(u.maxPct)} %) on ${nodes.join(', ')}; ` +
        `account ${job.account}, partition ${job.partition}. Source: ${reading.source}.`,
      holdSeconds: params.idleMinutes * 60,
      since: null,
      detail: { source: reading.source, measuredAt: reading.at, gpus, gpusMeasured: u.gpusMeasured, idleGpus, meanPct: u.meanPct, maxPct: u.maxPct, perGpu: u.perGpu, user: job.user, account: job.account },
      links: { nodes, jobs: [u.jobId], partition: job.partition.split(',')[0] ?? null },
    });
  }
  return findings;
}
