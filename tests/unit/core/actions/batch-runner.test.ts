// The batch runner over a scripted Remote: batching, pauses, cancellation between batches, and how a
// command that never ran differs from one whose answer was lost.
import { describe, expect, it } from 'vitest';
import type { JobResult } from '../../../../shared/api/methods/actions';
import { runBatches } from '../../../../electron/core/actions/batch-runner';
import type { Remote } from '../../../../electron/core/collect/remote';
import { ExecError } from '../../../../electron/core/ssh/exec';

function scripted(answer: (argv: readonly string[]) => { code: number; stderr?: string } | Error): Remote & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    cluster: 'alpha',
    calls,
    async run(command) {
      calls.push(command.argv);
      const a = answer(command.argv);
      if (a instanceof Error) throw a;
      return { code: a.code, signal: null, stdout: '', stderr: a.stderr ?? '', durationMs: 1 };
    },
  };
}

const items = (ids: string[]) => ids.map((jobId) => ({ jobId, jobIdRaw: null }));

describe('runBatches', () => {
  it('sends ids in batches as one comma-separated argument and attributes outcomes per id', async () => {
    const remote = scripted((argv) => (argv[2]?.includes('3') ? { code: 1, stderr: 'Access/permission denied for job 3\n' } : { code: 0 }));
    const got: JobResult[] = [];
    const outcome = await runBatches(remote, 'requeuehold', items(['1', '2', '3', '4_1', '5']), { batchSize: 2, pauseMs: 0, onBatch: (r) => got.push(...r) });
    expect(outcome).toBe('completed');
    expect(remote.calls).toEqual([['scontrol', 'requeuehold', '1,2'], ['scontrol', 'requeuehold', '3,4_1'], ['scontrol', 'requeuehold', '5']]);
    expect(got.map((r) => [r.jobId, r.status, r.batch])).toEqual([['1', 'done', 1], ['2', 'done', 1], ['3', 'failed', 2], ['4_1', 'done', 2], ['5', 'done', 3]]);
  });

  it('cancelled between batches: the rest is reported as not sent (retryable), nothing more is sent', async () => {
    const remote = scripted(() => ({ code: 0 }));
    const abort = new AbortController();
    const got: JobResult[] = [];
    const started = Date.now();
    const outcome = await runBatches(remote, 'requeue', items(['1', '2', '3']), {
      batchSize: 1,
      pauseMs: 30_000,
      signal: abort.signal,
      onBatch: (r) => {
        got.push(...r);
        abort.abort();
      },
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome).toBe('cancelled');
    expect(remote.calls).toHaveLength(1);
    expect(got.map((r) => [r.jobId, r.status, r.retryable])).toEqual([['1', 'done', false], ['2', 'cancelled', true], ['3', 'cancelled', true]]);
  });

  it('a command that never started fails retryably; one whose answer was lost is unknown', async () => {
    let n = 0;
    const remote = scripted(() => (n++ === 0 ? new ExecError('no channel', 'refused') : new ExecError('connection lost', 'lost')));
    const got: JobResult[] = [];
    await runBatches(remote, 'requeue', items(['1', '2']), { batchSize: 1, pauseMs: 0, onBatch: (r) => got.push(...r) });
    expect(got.map((r) => [r.status, r.retryable])).toEqual([['failed', true], ['unknown', true]]);
    expect(got[1]?.message).toMatch(/^no answer: connection lost/);
  });

  it('refuses to build a command from an id that is not a job id', async () => {
    const remote = scripted(() => ({ code: 0 }));
    await expect(runBatches(remote, 'requeue', items(['1;id']), { batchSize: 5, pauseMs: 0, onBatch: () => {} })).rejects.toThrow(/refusing job id/);
    expect(remote.calls).toEqual([]);
  });
});
