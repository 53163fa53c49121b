// What the usage maths needs of one accounting run, and nothing more: a million-run export reads these
// straight from the store's rows without building full AccountingRun objects (no node lists, no TRES maps
// beyond the GPU types).
import type { AccountingRun } from '../model/run';

export interface UsageRun {
  cluster: string;
  jobIdRaw: number;
  account: string;
  user: string;
  partition: string;
  qos: string;
  state: string;
  /** Epoch seconds; a run that never started used nothing. */
  startTime: number | null;
  /** Null while the run is still running (or pending). */
  endTime: number | null;
  /** ElapsedRaw: seconds the run held its allocation (for a running run, up to when sacct looked). */
  elapsed: number;
  cpus: number;
  billing: number;
  gpus: number;
  /** `gres/gpu:<type>` counts; empty when the cluster does not track GPU types. */
  gpuByType: Readonly<Record<string, number>>;
}

export function usageRunOf(cluster: string, run: AccountingRun): UsageRun {
  return {
    cluster,
    jobIdRaw: run.jobIdRaw,
    account: run.account,
    user: run.user,
    partition: run.partition,
    qos: run.qos,
    state: run.state,
    startTime: run.startTime,
    endTime: run.endTime,
    elapsed: run.elapsed,
    cpus: run.allocTres.cpu,
    billing: run.allocTres.billing,
    gpus: run.allocTres.gpu,
    gpuByType: run.allocTres.gpuByType,
  };
}

/** States in which a run with no End still holds its allocation. */
const HOLDING = new Set(['RUNNING', 'SUSPENDED', 'COMPLETING', 'STAGE_OUT', 'SIGNALING', 'RESV_DEL_HOLD', 'REQUEUE_FED', 'RESIZING']);

/** True when the run has started and not ended: counted up to the window end and flagged. */
export function isStillRunning(run: Pick<UsageRun, 'startTime' | 'endTime' | 'state'>): boolean {
  return run.startTime !== null && run.endTime === null && HOLDING.has(run.state);
}

/**
 * [start, end) of the time the run held resources, before clipping to a window: Start + ElapsedRaw for an
 * ended run (ElapsedRaw excludes time suspended, as Slurm charges it), and for a still-running run up to
 * `runningUntil` (the window end, or when the data was collected if that is earlier), never less than the
 * elapsed time sacct already reported. Null when the run never started or ended without holding anything.
 */
export function heldInterval(run: UsageRun, runningUntil: number): [number, number] | null {
  if (run.startTime === null) return null;
  const reported = run.startTime + Math.max(0, run.elapsed);
  const end = isStillRunning(run) ? Math.max(reported, runningUntil) : reported;
  return end > run.startTime ? [run.startTime, end] : null;
}

/** [type, count] per GPU type, sorted by type; GPUs beyond the typed ones are type ''. [] without GPUs. */
export function gpuTypeShares(run: Pick<UsageRun, 'gpus' | 'gpuByType'>): [string, number][] {
  if (run.gpus <= 0) return [];
  const pairs = Object.keys(run.gpuByType)
    .sort()
    .map((t): [string, number] => [t, run.gpuByType[t] as number])
    .filter(([, n]) => n > 0);
  const typed = pairs.reduce((a, [, n]) => a + n, 0);
  if (typed < run.gpus) pairs.push(['', run.gpus - typed]);
  return pairs;
}
