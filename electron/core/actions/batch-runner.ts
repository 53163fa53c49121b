// Run one scontrol action over many ids: batches of `batchSize` ids per call, a pause between calls (so a
// thousand-job requeue does not hammer slurmctld), cancellable through an AbortSignal between batches (a
// batch already sent is never interrupted: its outcome would be unknown). Each batch's outcomes are handed
// to `onBatch` before the next batch starts, so the audit log is written as the run goes.
import { scontrolActionCommand } from '../../../shared/actions/commands';
import { parseScontrolOutcome } from '../../../shared/actions/scontrol-outcome';
import type { ActionKind, JobResult } from '../../../shared/api/methods/actions';
import { assertJobIdArg } from '../../../shared/slurm/parse/job-id';
import type { Remote } from '../collect/remote';
import { ExecError } from '../ssh/exec';

export interface BatchItem {
  /** The id passed to scontrol. */
  jobId: string;
  jobIdRaw: number | null;
}

export interface BatchRunOptions {
  batchSize: number;
  pauseMs: number;
  signal?: AbortSignal;
  now?: () => number;
  /** Called after each batch (and once for the ids never sent when cancelled). */
  onBatch: (results: JobResult[], batch: number, batches: number) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function runBatches(remote: Remote, action: ActionKind, items: readonly BatchItem[], options: BatchRunOptions): Promise<'completed' | 'cancelled'> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  // Every id checked before the first batch goes out: a bad id stops the run before anything is sent.
  for (const i of items) assertJobIdArg(i.jobId);
  const batches = Math.ceil(items.length / options.batchSize);
  for (let b = 0; b < batches; b++) {
    const batch = items.slice(b * options.batchSize, (b + 1) * options.batchSize);
    if (options.signal?.aborted) {
      const rest = items.slice(b * options.batchSize);
      options.onBatch(
        rest.map((i) => ({ jobId: i.jobId, jobIdRaw: i.jobIdRaw, status: 'cancelled', retryable: true, message: 'not sent: the run was cancelled', exitCode: null, batch: b + 1, at: now() })),
        b + 1,
        batches,
      );
      return 'cancelled';
    }
    const ids = batch.map((i) => i.jobId);
    let results: JobResult[];
    const command = scontrolActionCommand(action, ids);
    try {
      const r = await remote.run(command, { timeoutMs: 120_000 });
      const outcomes = parseScontrolOutcome(ids, r);
      results = batch.map((i) => ({ jobId: i.jobId, jobIdRaw: i.jobIdRaw, ...(outcomes.get(i.jobId) as NonNullable<ReturnType<typeof outcomes.get>>), batch: b + 1, at: now() }));
    } catch (err) {
      // Not sent (no connection, channel refused) → failed and retryable; sent but no answer (timeout,
      // connection lost) → unknown: a retry checks live first what did happen.
      const started = err instanceof ExecError && err.started;
      const message = `${started ? 'no answer' : 'not sent'}: ${(err as Error).message}`;
      results = batch.map((i) => ({ jobId: i.jobId, jobIdRaw: i.jobIdRaw, status: started ? 'unknown' : 'failed', retryable: true, message, exitCode: null, batch: b + 1, at: now() }));
    }
    options.onBatch(results, b + 1, batches);
    if (b + 1 < batches) await sleep(options.pauseMs, options.signal);
  }
  return 'completed';
}
