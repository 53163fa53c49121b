// GPU utilization of a cluster's running jobs, for the allocated-but-idle alert. Tries the sources the
// cluster has, in this order, and returns the first that could measure:
//   1. prometheus-dcgm — dcgm-exporter metrics from a Prometheus server, through an SSH port forward;
//   2. nvidia-smi      — on the compute nodes, via `srun --overlap` into your own jobs or `ssh` to each node;
//   3. slurm-gpuutil   — Slurm's gres/gpuutil from `sstat`, where AccountingStorageTRES records it.
// When none can, the reading is `available: false` with every source's reason ("no Prometheus URL
// configured", "nvidia-smi not enabled for this cluster", "AccountingStorageTRES lacks gres/gpuutil", …),
// so the console can say why the rule is off instead of staying silent. A configured source that failed
// before another one served is named in the reading's warnings.
//
// Everything remote is bounded: one exec (or one forward) per source, each with its own deadline and
// output cap; the node-side scripts put a time limit on every node / job (shared/alerts/util/nvidia-smi-script.ts).
import type { Duplex } from 'node:stream';
import type { UtilSource, UtilizationReading } from '../../../../shared/alerts/types';
import {
  allocationsFromDetails,
  allocationsFromQueue,
  mapSamplesToJobs,
  nodeSamples,
  stepSamples,
  type AttributedSample,
  type JobGpuAllocation,
} from '../../../../shared/alerts/util/gpu-mapping';
import { nvidiaSmiExitReason, parseNvidiaSmiCsv, parseSmiScriptOutput } from '../../../../shared/alerts/util/nvidia-smi';
import {
  DEFAULT_SMI_LIMITS,
  NODE_NAME,
  smiExecMaxBytes,
  smiExecTimeoutMs,
  srunSmiArgv,
  sshSmiArgv,
  type SmiScriptLimits,
} from '../../../../shared/alerts/util/nvidia-smi-script';
import { parseDcgmResponse, parsePrometheusUrl, promQueryPath } from '../../../../shared/alerts/util/prometheus';
import { gpuUtilJobs, parseSstatGpuUtil, SSTAT_MAX_IDS, sstatGpuUtilArgv } from '../../../../shared/alerts/util/sstat-gpuutil';
import type { JobGpuUtil } from '../../../../shared/alerts/types';
import { jobGpuCount } from '../../../../shared/fleet/cluster-status';
import type { Capabilities } from '../../../../shared/model/capabilities';
import type { ClusterConfig } from '../../../../shared/model/cluster';
import type { QueuedJob } from '../../../../shared/model/job';
import { scontrolJobsCommand } from '../../../../shared/slurm/commands';
import { parseScontrolJobs } from '../../../../shared/slurm/parse/scontrol-job';
import type { ExecResult } from '../../ssh/exec';
import { httpGetOverStream } from './http-over-stream';

export type UtilExec = (argv: readonly string[], options?: { env?: Record<string, string>; timeoutMs?: number; maxBytes?: number }) => Promise<ExecResult>;
/** A TCP stream to host:port from the login host (ClusterConnection.forwardOut). */
export type UtilForward = (host: string, port: number, options?: { timeoutMs?: number }) => Promise<Duplex>;

export interface UtilizationDeps {
  /** Runs argv on the login host (ClusterConnection.exec). */
  exec: UtilExec;
  /** Port forwarding through the same connection; without it Prometheus cannot be reached. */
  forward?: UtilForward;
  config: ClusterConfig;
  /** The probe's findings (gres/gpuutil recorded?); null when the cluster was never probed. */
  capabilities: Capabilities | null;
  /** The current queue snapshot (running jobs with their nodes and GPU counts). */
  jobs: readonly QueuedJob[];
  /** Epoch milliseconds (default Date.now). */
  now?: () => number;
}

export type SourceResult = { ok: true; jobs: JobGpuUtil[]; warnings: string[] } | { ok: false; reason: string };

/** Deadlines and caps of the commands that are not nvidia-smi scripts. */
const SCONTROL_TIMEOUT_MS = 30_000;
const SCONTROL_MAX_BYTES = 64 * 1024 * 1024;
const SSTAT_TIMEOUT_MS = 30_000;
const SSTAT_MAX_BYTES = 8 * 1024 * 1024;
const PROM_TIMEOUT_MS = 15_000;
const PROM_MAX_BYTES = 16 * 1024 * 1024;

export async function readUtilization(deps: UtilizationDeps): Promise<UtilizationReading> {
  const now = deps.now ?? Date.now;
  const reasons: { source: UtilSource; reason: string }[] = [];
  const failed: string[] = [];
  const attempts: [UtilSource, () => Promise<SourceResult | null>][] = [
    ['prometheus-dcgm', () => readPrometheusDcgm(deps)],
    ['nvidia-smi', () => readNvidiaSmi(deps)],
    ['slurm-gpuutil', () => readSlurmGpuUtil(deps)],
  ];
  for (const [source, attempt] of attempts) {
    let result: SourceResult | null;
    try {
      result = await attempt();
    } catch (err) {
      result = { ok: false, reason: `failed: ${(err as Error).message}` };
    }
    if (result === null) continue;
    if (result.ok) {
      return { available: true, source, at: Math.floor(now() / 1000), jobs: result.jobs, warnings: [...failed, ...result.warnings] };
    }
    reasons.push({ source, reason: result.reason });
    if (!isUnconfigured(result.reason)) failed.push(`${source} could not be used: ${result.reason}`);
  }
  return { available: false, reasons };
}

/** Reasons that only say a source is not set up (no need to repeat them as warnings when another serves). */
const UNCONFIGURED = [/^no Prometheus URL configured/, /^nvidia-smi not enabled/, /^turned off for this cluster/];
function isUnconfigured(reason: string): boolean {
  return UNCONFIGURED.some((r) => r.test(reason));
}

function runningGpuJobs(jobs: readonly QueuedJob[]): QueuedJob[] {
  return jobs.filter((j) => j.state === 'RUNNING' && j.nodes.length > 0 && jobGpuCount(j) > 0);
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Slurm's GPU indices per node of the running jobs (`scontrol show job -d`), else squeue's nodes without indices. */
async function allocationsOf(deps: UtilizationDeps, running: readonly QueuedJob[], warnings: string[]): Promise<JobGpuAllocation[]> {
  const wanted = new Set(running.map((j) => j.jobId));
  const cmd = scontrolJobsCommand();
  try {
    const res = await deps.exec(cmd.argv, { env: cmd.env, timeoutMs: SCONTROL_TIMEOUT_MS, maxBytes: SCONTROL_MAX_BYTES });
    if (res.code !== 0) throw new Error(firstLine(res.stderr) || `exit ${res.code}`);
    const parsed = parseScontrolJobs(res.stdout);
    const details = allocationsFromDetails(parsed.items).filter((a) => wanted.has(a.jobId));
    const seen = new Set(details.map((a) => a.jobId));
    // Jobs scontrol did not show (PrivateData, or started since the snapshot): nodes only.
    return [...details, ...allocationsFromQueue(running.filter((j) => !seen.has(j.jobId)))];
  } catch (err) {
    warnings.push(`scontrol show job -d failed (${(err as Error).message}); GPUs matched to jobs by node only`);
    return allocationsFromQueue(running);
  }
}

// --- Prometheus + DCGM ------------------------------------------------------------------------------------

export async function readPrometheusDcgm(deps: UtilizationDeps): Promise<SourceResult> {
  const url = deps.config.utilization?.prometheus?.url;
  if (!url) return { ok: false, reason: 'no Prometheus URL configured' };
  const parsed = parsePrometheusUrl(url);
  if (!parsed.ok) return { ok: false, reason: `the Prometheus URL is not usable: ${parsed.message}` };
  if (!deps.forward) return { ok: false, reason: 'port forwarding through the SSH connection is not available here' };
  const t = parsed.target;
  const running = runningGpuJobs(deps.jobs);
  const stream = await deps.forward(t.host, t.port, { timeoutMs: PROM_TIMEOUT_MS });
  const res = await httpGetOverStream(stream, { host: t.host, port: t.port, tls: t.tls, path: promQueryPath(t), timeoutMs: PROM_TIMEOUT_MS, maxBytes: PROM_MAX_BYTES });
  if (res.status !== 200) {
    return { ok: false, reason: `${url} answered HTTP ${res.status}: ${firstLine(res.body).slice(0, 200)}` };
  }
  const dcgm = parseDcgmResponse(res.body);
  const warnings = [...dcgm.warnings];
  if (running.length === 0) return { ok: true, jobs: [], warnings };
  if (dcgm.samples.length === 0) return { ok: false, reason: `Prometheus at ${url} has no DCGM_FI_DEV_GPU_UTIL series (is dcgm-exporter scraped?)` };
  const needIdx = dcgm.samples.some((s) => s.jobId === undefined);
  const allocations = needIdx ? await allocationsOf(deps, running, warnings) : allocationsFromQueue(running);
  const mapped = mapSamplesToJobs(dcgm.samples, allocations);
  const covered = new Set(dcgm.nodes.flatMap((n) => [n, n.split('.')[0] as string]));
  const uncovered = [...new Set(running.flatMap((j) => j.nodes))].filter((n) => !covered.has(n));
  if (uncovered.length) warnings.push(`no DCGM metrics for ${plural(uncovered.length, 'node')} with running GPU jobs: ${uncovered.slice(0, 10).join(', ')}${uncovered.length > 10 ? ', …' : ''}`);
  return { ok: true, jobs: mapped.jobs, warnings: [...warnings, ...mapped.warnings] };
}

// --- nvidia-smi ---------------------------------------------------------------------------------------------

function smiLimits(config: ClusterConfig): SmiScriptLimits {
  const c = config.utilization?.nvidiaSmi;
  return {
    parallel: c?.parallel ?? DEFAULT_SMI_LIMITS.parallel,
    timeoutSec: c?.timeoutSec ?? DEFAULT_SMI_LIMITS.timeoutSec,
    program: c?.path ?? DEFAULT_SMI_LIMITS.program,
  };
}

export async function readNvidiaSmi(deps: UtilizationDeps): Promise<SourceResult> {
  const c = deps.config.utilization?.nvidiaSmi;
  if (!c) return { ok: false, reason: 'nvidia-smi not enabled for this cluster' };
  return c.via === 'srun' ? readNvidiaSmiSrun(deps, smiLimits(deps.config)) : readNvidiaSmiSsh(deps, smiLimits(deps.config));
}

/** Per node of one item: nvidia-smi's records, or why the node gave none. */
function nodeProblem(node: string, lines: string[], exitCode: number | null): string | null {
  if (exitCode === null || exitCode === 0) return null;
  const msg = parseNvidiaSmiCsv(lines.join('\n')).errors[0];
  return `${node}: ${nvidiaSmiExitReason(exitCode)}${msg ? ` — ${msg}` : ''}`;
}

async function readNvidiaSmiSrun(deps: UtilizationDeps, limits: SmiScriptLimits): Promise<SourceResult> {
  const running = runningGpuJobs(deps.jobs);
  const own = running.filter((j) => j.user === deps.config.user);
  const warnings: string[] = [];
  const others = running.length - own.length;
  if (others > 0) warnings.push(`${plural(others, 'running GPU job')} of other users not measured: srun can add steps only to your own jobs`);
  if (own.length === 0) return { ok: true, jobs: [], warnings };
  const argv = srunSmiArgv(own.map((j) => ({ jobIdRaw: j.jobIdRaw, numNodes: Math.max(1, j.nodes.length) })), limits);
  const res = await deps.exec(argv, { timeoutMs: smiExecTimeoutMs(own.length, limits), maxBytes: smiExecMaxBytes(own.length) });
  if (res.code !== 0) return { ok: false, reason: `the srun script failed (exit ${res.code}): ${firstLine(res.stderr) || 'no message'}` };
  const items = parseSmiScriptOutput(res.stdout);
  const samples: AttributedSample[] = [];
  for (const job of own) {
    const item = items.get(String(job.jobIdRaw));
    if (!item) {
      warnings.push(`job ${job.jobId}: no output from srun`);
      continue;
    }
    if (item.exitCode === 124) warnings.push(`job ${job.jobId}: srun + nvidia-smi did not finish within ${limits.timeoutSec} s`);
    else if (item.exitCode !== 0 && item.nodes.size === 0) warnings.push(`job ${job.jobId}: ${item.stderr[0] ?? `srun failed (exit ${item.exitCode ?? '?'})`}`);
    const perNode = job.gpusPerNode ?? Math.max(1, Math.round(jobGpuCount(job) / job.nodes.length));
    for (const n of item.nodes.values()) {
      const problem = nodeProblem(n.node, n.lines, n.exitCode);
      const parsed = parseNvidiaSmiCsv(n.lines.join('\n'));
      if (problem) warnings.push(`job ${job.jobId} on ${problem}`);
      else if (parsed.errors.length) warnings.push(`job ${job.jobId} on ${n.node}: ${parsed.errors[0]}`);
      if (problem && parsed.gpus.length === 0) continue;
      const s = stepSamples(job.jobId, n.node, parsed.gpus, n.stepGpus, perNode);
      samples.push(...s.samples);
      warnings.push(...s.warnings);
    }
  }
  if (samples.length === 0) return { ok: false, reason: `nvidia-smi gave no GPU sample for any of your ${plural(own.length, 'running GPU job')}${warnings.length ? `: ${warnings[warnings.length - 1]}` : ''}` };
  const mapped = mapSamplesToJobs(samples, allocationsFromQueue(own));
  return { ok: true, jobs: mapped.jobs, warnings: [...warnings, ...mapped.warnings] };
}

async function readNvidiaSmiSsh(deps: UtilizationDeps, limits: SmiScriptLimits): Promise<SourceResult> {
  const running = runningGpuJobs(deps.jobs);
  const warnings: string[] = [];
  if (running.length === 0) return { ok: true, jobs: [], warnings };
  const all = [...new Set(running.flatMap((j) => j.nodes))].sort();
  const nodes = all.filter((n) => NODE_NAME.test(n));
  if (nodes.length < all.length) warnings.push(`skipped node names ssh cannot take: ${all.filter((n) => !NODE_NAME.test(n)).slice(0, 5).join(', ')}`);
  const allocations = await allocationsOf(deps, running, warnings);
  const res = await deps.exec(sshSmiArgv(nodes, limits), { timeoutMs: smiExecTimeoutMs(nodes.length, limits), maxBytes: smiExecMaxBytes(nodes.length) });
  if (res.code !== 0) return { ok: false, reason: `the ssh script failed (exit ${res.code}): ${firstLine(res.stderr) || 'no message'}` };
  const items = parseSmiScriptOutput(res.stdout);
  const samples: AttributedSample[] = [];
  const failedNodes: string[] = [];
  for (const node of nodes) {
    const item = items.get(node);
    const out = item?.nodes.get(node);
    const lines = out?.lines ?? [];
    if (!item) {
      failedNodes.push(`${node}: no output`);
      continue;
    }
    if (item.exitCode === 255) failedNodes.push(`${node}: ssh failed — ${item.stderr[0] ?? 'no message'}`);
    else if (item.exitCode === 124) failedNodes.push(`${node}: ssh + nvidia-smi did not finish within ${limits.timeoutSec} s`);
    else {
      const problem = nodeProblem(node, [...lines, ...item.stderr], item.exitCode);
      if (problem) failedNodes.push(problem);
    }
    const parsed = parseNvidiaSmiCsv(lines.join('\n'));
    if (item.exitCode === 0 && parsed.errors.length) warnings.push(`${node}: ${parsed.errors[0]}`);
    const s = nodeSamples(node, parsed.gpus);
    samples.push(...s.samples);
    warnings.push(...s.warnings);
  }
  warnings.push(...failedNodes);
  if (samples.length === 0) return { ok: false, reason: `nvidia-smi over ssh gave no GPU sample on any of ${plural(nodes.length, 'node')}${failedNodes[0] ? `: ${failedNodes[0]}` : ''}` };
  const mapped = mapSamplesToJobs(samples, allocations);
  return { ok: true, jobs: mapped.jobs, warnings: [...warnings, ...mapped.warnings] };
}

// --- Slurm gres/gpuutil -------------------------------------------------------------------------------------

export async function readSlurmGpuUtil(deps: UtilizationDeps): Promise<SourceResult> {
  if (deps.config.utilization?.slurmGpuUtil === false) return { ok: false, reason: 'turned off for this cluster' };
  const caps = deps.capabilities;
  if (!caps) return { ok: false, reason: 'the cluster has not been probed yet (is gres/gpuutil recorded?)' };
  if (caps.gpuUtilTres === undefined) return { ok: false, reason: 'not known whether AccountingStorageTRES records gres/gpuutil (probe the cluster again)' };
  if (!caps.gpuUtilTres) return { ok: false, reason: 'AccountingStorageTRES lacks gres/gpuutil' };
  const running = runningGpuJobs(deps.jobs);
  const everyone = deps.config.user === 'root';
  const mine = everyone ? running : running.filter((j) => j.user === deps.config.user);
  const warnings: string[] = [];
  if (mine.length < running.length) warnings.push(`${plural(running.length - mine.length, 'running GPU job')} of other users not measured: sstat shows only your own jobs`);
  if (mine.length === 0) return { ok: true, jobs: [], warnings };
  const jobs: JobGpuUtil[] = [];
  const withoutValue: string[] = [];
  for (let i = 0; i < mine.length; i += SSTAT_MAX_IDS) {
    const chunk = mine.slice(i, i + SSTAT_MAX_IDS);
    const res = await deps.exec(sstatGpuUtilArgv(chunk.map((j) => j.jobIdRaw)), { timeoutMs: SSTAT_TIMEOUT_MS, maxBytes: SSTAT_MAX_BYTES });
    if (res.code !== 0 && res.stdout.trim() === '') return { ok: false, reason: `sstat failed (exit ${res.code}): ${firstLine(res.stderr) || 'no message'}` };
    const parsed = parseSstatGpuUtil(res.stdout, res.stderr);
    if (parsed.denied.length) warnings.push(`sstat refused ${plural(parsed.denied.length, 'job')} (Invalid user id): ${parsed.denied.slice(0, 10).join(', ')}`);
    if (parsed.errors.length) warnings.push(`sstat: ${parsed.errors[0]}`);
    const r = gpuUtilJobs(parsed, chunk);
    jobs.push(...r.jobs);
    withoutValue.push(...r.withoutValue);
  }
  if (jobs.length === 0 && withoutValue.length > 0) {
    return { ok: false, reason: `no running step of ${plural(withoutValue.length, 'GPU job')} carries gres/gpuutil: the nodes do not gather it (slurmd needs the gpu/nvml plugin, e.g. AutoDetect=nvml)` };
  }
  if (withoutValue.length) warnings.push(`no gres/gpuutil yet for ${plural(withoutValue.length, 'job')}: ${withoutValue.slice(0, 10).join(', ')}`);
  return { ok: true, jobs, warnings };
}
