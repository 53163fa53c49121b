// What a preempted or requeued run lost: the wall-clock time it had held its allocation when it was
// ended (all of it is lost unless the job checkpoints, which Slurm cannot know), and that time times the
// GPUs it held (AllocTRES gres/gpu). Kept in whole GPU-seconds so sums stay exact; views show GPU-h.

export interface RunTimes {
  elapsed: number;
  startTime: number | null;
  endTime: number | null;
}

/** Seconds the run held its allocation: sacct's Elapsed, or End − Start when Elapsed is missing (0). */
export function lostSeconds(run: RunTimes): number {
  if (run.elapsed > 0) return run.elapsed;
  return run.startTime !== null && run.endTime !== null ? Math.max(0, run.endTime - run.startTime) : 0;
}

export function gpuSecondsLost(run: RunTimes & { gpus: number }): number {
  return run.gpus * lostSeconds(run);
}
