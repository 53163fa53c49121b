// From GPU samples to jobs: which running job holds which GPU (node + Slurm's GPU index, `IDX:` in
// `scontrol show job -d`), and each job's mean / busiest utilization over the GPUs that had a sample.
// Pure: the collectors in electron/core/alerts/utilization feed it.
import type { QueuedJob } from '../../model/job';
import type { JobDetail } from '../../slurm/parse/scontrol-job';
import { jobGpuCount } from '../../fleet/cluster-status';
import type { GpuUtilSample, JobGpuUtil } from '../types';
import type { NvidiaSmiGpu } from './nvidia-smi';

/** The GPUs a running job holds on each of its nodes. */
export interface JobGpuAllocation {
  jobId: string;
  jobIdRaw: number;
  user: string;
  /** Per node: Slurm's GPU indices (`IDX:`), null when the source did not print them; and how many. */
  nodes: { node: string; indices: number[] | null; count: number }[];
}

/** A sample that may already name its job (taken inside the job's step, or labelled by the exporter). */
export type AttributedSample = GpuUtilSample & { jobId?: string };

/** GPUs per node of running jobs, from `scontrol show job -d -o` (with `IDX:`). */
export function allocationsFromDetails(details: readonly JobDetail[]): JobGpuAllocation[] {
  const out: JobGpuAllocation[] = [];
  for (const d of details) {
    if (d.state !== 'RUNNING') continue;
    const byNode = new Map<string, { indices: number[] | null; count: number }>();
    for (const group of d.allocations) {
      const gpus = group.gres.filter((g) => g.name === 'gpu');
      if (gpus.length === 0) continue;
      const count = gpus.reduce((n, g) => n + g.count, 0);
      const indices = gpus.every((g) => g.indices !== null) ? [...new Set(gpus.flatMap((g) => g.indices as number[]))].sort((a, b) => a - b) : null;
      for (const node of group.nodes) byNode.set(node, { indices, count });
    }
    if (byNode.size === 0) continue;
    out.push({ jobId: d.jobId, jobIdRaw: d.jobIdRaw, user: d.user, nodes: [...byNode].map(([node, v]) => ({ node, ...v })) });
  }
  return out;
}

/** Without `-d` detail: the job's nodes and GPUs per node from squeue, indices unknown. */
export function allocationsFromQueue(jobs: readonly QueuedJob[]): JobGpuAllocation[] {
  const out: JobGpuAllocation[] = [];
  for (const j of jobs) {
    if (j.state !== 'RUNNING' || j.nodes.length === 0) continue;
    const total = jobGpuCount(j);
    if (total <= 0) continue;
    const perNode = j.gpusPerNode ?? Math.max(1, Math.round(total / j.nodes.length));
    out.push({ jobId: j.jobId, jobIdRaw: j.jobIdRaw, user: j.user, nodes: j.nodes.map((node) => ({ node, indices: null, count: perNode })) });
  }
  return out;
}

/** The short name of a host (`gpu01.cluster.local` → `gpu01`), for matching exporters' host names to Slurm's. */
export function shortHost(name: string): string {
  const i = name.indexOf('.');
  return i > 0 && !/^\d+\.\d+\.\d+\.\d+$/.test(name) ? name.slice(0, i) : name;
}

/**
 * Give the job's Slurm GPU indices to what nvidia-smi printed inside the job's step on one node.
 * - As many GPUs visible as the step has (a device cgroup, or the job holds the whole node): nvidia-smi may
 *   have renumbered them from 0, so they are matched in PCI bus order to the step's indices in order (Slurm
 *   numbers a node's GPUs in PCI bus order too, as NVML does).
 * - More visible (no device constraint: the whole node): the job's are those whose index is one of the step's.
 * - Fewer visible: those whose index matches; the rest are reported missing.
 */
export function stepSamples(
  jobId: string,
  node: string,
  gpus: readonly NvidiaSmiGpu[],
  stepIndices: readonly number[] | null,
  expectedCount: number,
): { samples: AttributedSample[]; warnings: string[] } {
  const warnings: string[] = [];
  const withIdx: { gpu: NvidiaSmiGpu; idx: number | null }[] = [];
  const idx = stepIndices ? [...stepIndices].sort((a, b) => a - b) : null;
  if (idx === null) {
    if (gpus.length === expectedCount) for (const gpu of gpus) withIdx.push({ gpu, idx: gpu.index });
    else warnings.push(`job ${jobId} on ${node}: the step did not say which GPUs it has (no SLURM_STEP_GPUS) and ${gpus.length} GPUs are visible for ${expectedCount} allocated; not counted`);
  } else if (gpus.length === idx.length) {
    const ordered = [...gpus].sort((a, b) => (a.busId ?? '').localeCompare(b.busId ?? '') || (a.index ?? 0) - (b.index ?? 0));
    ordered.forEach((gpu, k) => withIdx.push({ gpu, idx: idx[k] as number }));
  } else {
    const mine = new Set(idx);
    for (const gpu of gpus) if (gpu.index !== null && mine.has(gpu.index)) withIdx.push({ gpu, idx: gpu.index });
    const seen = new Set(withIdx.map((w) => w.idx));
    const missing = idx.filter((i) => !seen.has(i));
    if (missing.length) warnings.push(`job ${jobId} on ${node}: no nvidia-smi line for GPU ${missing.join(',')} of the job (${gpus.length} visible)`);
  }
  const samples: AttributedSample[] = [];
  const unmeasured: string[] = [];
  for (const { gpu, idx: i } of withIdx) {
    if (gpu.utilPct === null) {
      unmeasured.push(String(i ?? gpu.index ?? '?'));
      continue;
    }
    samples.push({ jobId, node, gpuIndex: i, utilPct: gpu.utilPct, memUsedMiB: gpu.memUsedMiB, memTotalMiB: gpu.memTotalMiB });
  }
  if (unmeasured.length) warnings.push(`job ${jobId} on ${node}: GPU ${unmeasured.join(',')} reported no utilization ([N/A] / [Not Supported])`);
  return { samples, warnings };
}

/** Samples of whole nodes (ssh, Prometheus): nvidia-smi's / DCGM's index is taken as Slurm's index. */
export function nodeSamples(node: string, gpus: readonly NvidiaSmiGpu[]): { samples: AttributedSample[]; warnings: string[] } {
  const samples: AttributedSample[] = [];
  const unmeasured: string[] = [];
  for (const gpu of gpus) {
    if (gpu.utilPct === null) unmeasured.push(String(gpu.index ?? '?'));
    else samples.push({ node, gpuIndex: gpu.index, utilPct: gpu.utilPct, memUsedMiB: gpu.memUsedMiB, memTotalMiB: gpu.memTotalMiB });
  }
  return { samples, warnings: unmeasured.length ? [`${node}: GPU ${unmeasured.join(',')} reported no utilization ([N/A] / [Not Supported])`] : [] };
}

export function summarizeJob(jobId: string, perGpu: JobGpuUtil['perGpu']): JobGpuUtil {
  const values = perGpu.map((g) => g.utilPct);
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return { jobId, gpusMeasured: perGpu.length, meanPct: Math.round(mean * 100) / 100, maxPct: values.length ? Math.max(...values) : 0, perGpu };
}

/**
 * Attribute samples to jobs: a sample that names its job goes to it (if that job is among `allocations`);
 * otherwise by node (exact, else short host name) + GPU index. A GPU no job holds is not a job's concern and
 * is dropped quietly. Jobs of `allocations` left without any sample are named in `warnings` (grouped).
 */
export function mapSamplesToJobs(samples: readonly AttributedSample[], allocations: readonly JobGpuAllocation[]): { jobs: JobGpuUtil[]; warnings: string[] } {
  const warnings: string[] = [];
  const byJob = new Map(allocations.map((a) => [a.jobId, a]));
  const rawToJob = new Map(allocations.map((a) => [String(a.jobIdRaw), a.jobId]));
  const nodeName = new Map<string, string>();
  const holder = new Map<string, string>(); // `${node}\0${idx}` → jobId
  const onNode = new Map<string, Set<string>>(); // node → jobs with GPUs there
  for (const a of allocations) {
    for (const n of a.nodes) {
      nodeName.set(n.node, n.node);
      if (!nodeName.has(shortHost(n.node))) nodeName.set(shortHost(n.node), n.node);
      let set = onNode.get(n.node);
      if (!set) onNode.set(n.node, (set = new Set()));
      set.add(a.jobId);
      for (const i of n.indices ?? []) holder.set(`${n.node}\u0000${i}`, a.jobId);
    }
  }
  const resolve = (name: string): string => nodeName.get(name) ?? nodeName.get(shortHost(name)) ?? name;
  // Unattributed samples per node: with unknown indices, a node's samples can go to its only job only when
  // there are no more of them than that job's GPUs there (else some belong to no job, and which is unknown).
  const perNodeCount = new Map<string, number>();
  for (const s of samples) if (s.jobId === undefined) perNodeCount.set(resolve(s.node), (perNodeCount.get(resolve(s.node)) ?? 0) + 1);
  const perJob = new Map<string, Map<string, JobGpuUtil['perGpu'][number]>>();
  let ambiguous = 0;
  const endedJobs = new Set<string>();
  for (const s of samples) {
    const node = resolve(s.node);
    let jobId: string | undefined;
    if (s.jobId !== undefined) {
      jobId = byJob.has(s.jobId) ? s.jobId : rawToJob.get(s.jobId);
      if (jobId === undefined) {
        endedJobs.add(s.jobId);
        continue;
      }
    } else if (s.gpuIndex !== null && holder.has(`${node}\u0000${s.gpuIndex}`)) {
      jobId = holder.get(`${node}\u0000${s.gpuIndex}`);
    } else {
      // No index match. With indices unknown for this node, the sample can be placed only when one job
      // holds all of the node's allocated GPUs (the usual exclusive-node case).
      const jobs = [...(onNode.get(node) ?? [])];
      const unindexed = jobs.filter((j) => byJob.get(j)?.nodes.find((n) => n.node === node)?.indices === null);
      const alloc = jobs.length === 1 && unindexed.length === 1 ? byJob.get(jobs[0] as string)?.nodes.find((n) => n.node === node) : undefined;
      if (alloc && (perNodeCount.get(node) ?? 0) <= alloc.count) jobId = jobs[0];
      else if (unindexed.length > 0) ambiguous++;
    }
    if (jobId === undefined) continue;
    let gpus = perJob.get(jobId);
    if (!gpus) perJob.set(jobId, (gpus = new Map()));
    const key = `${node}\u0000${s.gpuIndex ?? `?${gpus.size}`}`;
    if (!gpus.has(key)) gpus.set(key, { node, gpuIndex: s.gpuIndex, utilPct: s.utilPct });
  }
  if (ambiguous) warnings.push(`${ambiguous} GPU sample${ambiguous === 1 ? '' : 's'} on nodes shared by several jobs could not be given to a job (Slurm's GPU indices unknown)`);
  if (endedJobs.size) warnings.push(`samples for job${endedJobs.size === 1 ? '' : 's'} ${[...endedJobs].slice(0, 10).join(', ')} that ${endedJobs.size === 1 ? 'does' : 'do'} not run any more were ignored`);
  const jobs: JobGpuUtil[] = [];
  const missing: string[] = [];
  for (const a of allocations) {
    const gpus = perJob.get(a.jobId);
    if (!gpus || gpus.size === 0) {
      missing.push(a.jobId);
      continue;
    }
    const list = [...gpus.values()].sort((x, y) => x.node.localeCompare(y.node) || (x.gpuIndex ?? -1) - (y.gpuIndex ?? -1));
    jobs.push(summarizeJob(a.jobId, list));
  }
  if (missing.length) warnings.push(`no GPU sample for ${missing.length} running GPU job${missing.length === 1 ? '' : 's'}: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`);
  return { jobs, warnings };
}
