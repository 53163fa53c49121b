// One accounting run as the job drawer shows it: GPU-hours it used and its exit code in sacct's notation.
import type { AccountingRun, ExitCode } from '../model/run';

/** GPUs held × wall-clock hours of the run (what a preemption or requeue cost, per run). */
export function runGpuHours(run: Pick<AccountingRun, 'allocTres' | 'elapsed'>): number {
  return (run.allocTres.gpu * Math.max(0, run.elapsed)) / 3600;
}

/** `code:signal`, as sacct prints ExitCode. */
export function formatExitCode(exit: ExitCode | null): string | null {
  return exit === null ? null : `${exit.code}:${exit.signal}`;
}
