// One accounting run: a row of `sacct -D -X`. A requeued or preempted job has several runs with the same
// job id; each counts for the time it held resources.
import type { JobState } from './job';
import type { Tres } from './tres';

export interface ExitCode {
  /** Exit status of the job's script (or the first failing step's), 0–255. */
  code: number;
  /** Signal that ended it, 0 when none. */
  signal: number;
}

export interface AccountingRun {
  jobId: string;
  jobIdRaw: number;
  arrayJobId: number | null;
  arrayTaskId: number | null;
  name: string;
  user: string;
  account: string;
  partition: string;
  qos: string;
  state: JobState;
  /** For CANCELLED: who cancelled (`CANCELLED by 1001`); null otherwise. */
  stateDetail: string | null;
  /**
   * Null when the source has no exit code for the run: sacct prints an empty ExitCode for Slurm's NO_VAL,
   * and 22.05's `sacct --json` reports 0 for every job that exited (a Slurm bug), so there only the states
   * that imply 0:0 keep one.
   */
  exitCode: ExitCode | null;
  /** Epoch seconds; null when unknown (`Unknown`, `None`). */
  submitTime: number | null;
  eligibleTime: number | null;
  startTime: number | null;
  endTime: number | null;
  /** Wall-clock seconds the run held its allocation. */
  elapsed: number;
  /** Seconds; null = UNLIMITED. */
  timeLimit: number | null;
  allocTres: Tres;
  reqTres: Tres | null;
  nodesExpr: string | null;
  nodes: string[];
  /** Requeue count, where the Slurm version records it in sacct (24.11+); null otherwise. */
  restarts: number | null;
}

/**
 * The identity of a run. slurmdbd keys its job table by (job id, submit time), and a requeue writes a new
 * record with a new submit time, so this pair tells the runs of one job apart and stays stable as a run
 * goes from pending to running to finished.
 */
export function runKey(run: Pick<AccountingRun, 'jobIdRaw' | 'submitTime'>): string {
  return `${run.jobIdRaw}@${run.submitTime ?? 0}`;
}
