// Totals shown before the confirmation: how many jobs, GPUs freed (only running jobs hold GPUs), the
// GPU-hours of run time the requeue throws away, and who is affected.
import type { ActionKind, JobPreview, PreviewTotals } from '../api/methods/actions';

/** Above this many jobs the console asks for the cluster name to be typed. */
export const CONFIRM_NAME_ABOVE = 20;

export function previewTotals(jobs: readonly JobPreview[], action: ActionKind): PreviewTotals {
  const run = jobs.filter((j) => j.willRun);
  const bySkip: Record<string, number> = {};
  for (const j of jobs) if (j.skip) bySkip[j.skip] = (bySkip[j.skip] ?? 0) + 1;
  // A release frees nothing and loses nothing: the job is pending.
  const loses = action !== 'release';
  const gpusFreed = loses ? run.reduce((s, j) => s + (j.runSeconds > 0 ? j.gpus : 0), 0) : 0;
  const gpuSeconds = loses ? run.reduce((s, j) => s + j.gpus * j.runSeconds, 0) : 0;
  return {
    selected: jobs.length,
    willRun: run.length,
    skipped: jobs.length - run.length,
    bySkip,
    gpusFreed,
    gpuHoursLost: Math.round((gpuSeconds / 3600) * 100) / 100,
    users: [...new Set(run.map((j) => j.user as string))].sort(),
    accounts: [...new Set(run.map((j) => j.account as string))].sort(),
  };
}
