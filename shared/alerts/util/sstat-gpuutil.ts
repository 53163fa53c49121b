// Slurm's own GPU utilization: `gres/gpuutil` in a running step's usage, from `sstat`.
//
// Where it exists: the cluster tracks the TRES (`scontrol show config` lists gres/gpuutil in
// AccountingStorageTRES — on 24.11 a configured `gres/gpu` brings gres/gpumem and gres/gpuutil with it, on
// 22.05 only what is configured is listed; both measured on the test bed) and the nodes'
// slurmd gather it (the gpu/nvml plugin, AutoDetect=nvml; otherwise steps simply carry no gres/gpuutil).
// The value comes from NVML's per-process utilization of the step's tasks, summed over the GPUs a task uses,
// so a task driving 4 GPUs flat out reads 400. We therefore read TRESUsageInTot (all tasks of the step) and
// spread it over the job's GPUs: job mean = Σ steps / GPUs, capped at 100. It is a job-wide figure; which
// GPU of the job idles is not known from it.
//
// Who may ask: only the job's owner (and root / SlurmUser). Even an Operator gets, per step and exit 0:
//   sstat: error: slurm_job_step_stat: there was an error with the request to dgx-h100-01 rc = Invalid user id
//   sstat: error: problem getting step_layout for StepId=326.batch: Invalid user id
// (measured on the test bed, 22.05 and 24.11). A job that ended meanwhile: "couldn't get steps for job N".
// Output: `sstat -a -P --noheader -j 325,327 -o JobID,NTasks,TRESUsageInAve,TRESUsageInTot`:
//   325.batch|1|cpu=00:00:00,energy=0,fs/disk=8429,mem=3372K,pages=0,vmem=5700K|cpu=…
//   325.0|4|cpu=01:02:03,energy=0,fs/disk=…,gres/gpumem=1011M,gres/gpuutil=97,mem=…|…,gres/gpuutil=388,…
// Array tasks appear under their own job record's id (`350.batch` for task 316_3).
import type { QueuedJob } from '../../model/job';
import { jobGpuCount } from '../../fleet/cluster-status';
import type { JobGpuUtil } from '../types';
import { summarizeJob } from './gpu-mapping';

export const SSTAT_FIELDS = ['JobID', 'NTasks', 'TRESUsageInAve', 'TRESUsageInTot'] as const;

/** Job ids per sstat call (its -j list goes into one command line). */
export const SSTAT_MAX_IDS = 200;

/** `sstat -a -P --noheader -j <ids> -o JobID,NTasks,TRESUsageInAve,TRESUsageInTot`. */
export function sstatGpuUtilArgv(jobIdsRaw: readonly number[]): string[] {
  if (jobIdsRaw.length === 0 || jobIdsRaw.length > SSTAT_MAX_IDS) throw new Error(`give 1..${SSTAT_MAX_IDS} job ids, not ${jobIdsRaw.length}`);
  for (const id of jobIdsRaw) if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`refusing job id ${JSON.stringify(id)}`);
  return ['sstat', '-a', '-P', '--noheader', '-j', [...new Set(jobIdsRaw)].join(','), '-o', SSTAT_FIELDS.join(',')];
}

/** Whether `AccountingStorageTRES` (as `scontrol show config` prints it) records gres/gpuutil. */
export function recordsGpuUtil(accountingStorageTres: string | undefined | null): boolean {
  if (!accountingStorageTres) return false;
  return accountingStorageTres.split(',').some((t) => t.trim().toLowerCase() === 'gres/gpuutil');
}

export interface SstatStep {
  /** The job record's numeric id (before `.step`). */
  jobIdRaw: number;
  /** Array task form `316_3` when sstat printed one, else null. */
  arrayTask: { arrayJobId: number; taskId: number } | null;
  step: string;
  ntasks: number | null;
  /** gres/gpuutil of all tasks (Tot, else Ave × NTasks); null when the step carries none. */
  gpuUtilTotal: number | null;
  /** gres/gpumem (Tot) in MiB, null when absent. */
  gpuMemMiB: number | null;
}

export interface SstatParse {
  steps: SstatStep[];
  /** Job ids sstat refused to show ("Invalid user id"): another user's job. */
  denied: number[];
  /** Job ids sstat no longer found (ended meanwhile). */
  gone: number[];
  /** Other stderr lines, shortened. */
  errors: string[];
}

function tresNumber(tres: string, name: string): number | null {
  for (const item of tres.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0 || item.slice(0, eq).trim() !== name) continue;
    const m = /^(\d+(?:\.\d+)?)([KMGTP]?)$/i.exec(item.slice(eq + 1).trim());
    if (!m) return null;
    const scale = { '': 1, K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024, P: 1024 ** 3 }[(m[2] ?? '').toUpperCase()] ?? 1;
    return name === 'gres/gpumem' ? Number(m[1]) * scale : Number(m[1]);
  }
  return null;
}

export function parseSstatGpuUtil(stdout: string, stderr = ''): SstatParse {
  const steps: SstatStep[] = [];
  const errors: string[] = [];
  for (const raw of stdout.replace(/\r/g, '').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('JobID|')) continue;
    const [id, ntasks, ave, tot] = line.split('|');
    const m = /^(\d+)(?:_(\d+))?\.([A-Za-z0-9_+-]+)$/.exec(id ?? '');
    if (!m || ave === undefined) {
      errors.push(`unexpected sstat line: ${line.slice(0, 200)}`);
      continue;
    }
    const n = /^\d+$/.test(ntasks ?? '') ? Number(ntasks) : null;
    const totUtil = tot === undefined ? null : tresNumber(tot, 'gres/gpuutil');
    const aveUtil = tresNumber(ave, 'gres/gpuutil');
    steps.push({
      jobIdRaw: Number(m[1]),
      arrayTask: m[2] === undefined ? null : { arrayJobId: Number(m[1]), taskId: Number(m[2]) },
      step: m[3] as string,
      ntasks: n,
      gpuUtilTotal: totUtil ?? (aveUtil === null ? null : aveUtil * (n ?? 1)),
      gpuMemMiB: (tot === undefined ? null : tresNumber(tot, 'gres/gpumem')) ?? tresNumber(ave, 'gres/gpumem'),
    });
  }
  const denied = new Set<number>();
  const gone = new Set<number>();
  for (const raw of stderr.replace(/\r/g, '').split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const step = /StepId=(\d+)\.\S*?: (.*)$/.exec(line);
    if (step && /Invalid user id|Access\/permission denied|not authorized/i.test(step[2] as string)) {
      denied.add(Number(step[1]));
      continue;
    }
    if (/slurm_job_step_stat: there was an error with the request to .* rc = Invalid user id/.test(line)) continue; // its StepId line follows
    const missing = /couldn't get steps for job (\d+)/.exec(line);
    if (missing) {
      gone.add(Number(missing[1]));
      continue;
    }
    errors.push(line.length > 300 ? `${line.slice(0, 297)}...` : line);
  }
  return { steps, denied: [...denied], gone: [...gone], errors };
}

/**
 * Per running GPU job of `jobs` that sstat answered for: the job's mean GPU utilization from its steps'
 * gres/gpuutil. `perGpu` spreads that one figure over the job's GPUs on its nodes (index unknown), so the
 * rule can say where the job runs; `withoutValue` lists jobs whose steps carry no gres/gpuutil at all.
 */
export function gpuUtilJobs(parsed: SstatParse, jobs: readonly QueuedJob[]): { jobs: JobGpuUtil[]; withoutValue: string[] } {
  const byRaw = new Map(jobs.map((j) => [j.jobIdRaw, j]));
  const byTask = new Map(jobs.filter((j) => j.arrayJobId !== null && j.arrayTaskId !== null).map((j) => [`${j.arrayJobId}_${j.arrayTaskId}`, j]));
  const sums = new Map<string, { job: QueuedJob; total: number; any: boolean }>();
  for (const s of parsed.steps) {
    const job = s.arrayTask ? byTask.get(`${s.arrayTask.arrayJobId}_${s.arrayTask.taskId}`) : byRaw.get(s.jobIdRaw);
    if (!job) continue;
    let e = sums.get(job.jobId);
    if (!e) sums.set(job.jobId, (e = { job, total: 0, any: false }));
    if (s.gpuUtilTotal !== null) {
      e.total += s.gpuUtilTotal;
      e.any = true;
    }
  }
  const out: JobGpuUtil[] = [];
  const withoutValue: string[] = [];
  for (const { job, total, any } of sums.values()) {
    const gpus = jobGpuCount(job);
    if (gpus <= 0) continue;
    if (!any) {
      withoutValue.push(job.jobId);
      continue;
    }
    const mean = Math.min(100, total / gpus);
    const perNode = job.gpusPerNode ?? Math.max(1, Math.round(gpus / Math.max(1, job.nodes.length)));
    const perGpu: JobGpuUtil['perGpu'] = [];
    for (const node of job.nodes.length ? job.nodes : ['?']) for (let i = 0; i < perNode && perGpu.length < gpus; i++) perGpu.push({ node, gpuIndex: null, utilPct: mean });
    out.push({ ...summarizeJob(job.jobId, perGpu), meanPct: Math.round(mean * 100) / 100, maxPct: Math.round(mean * 100) / 100 });
  }
  return { jobs: out, withoutValue };
}
