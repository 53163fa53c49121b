// Which source the queue collector reads: the scontrol session's `show job` while the last queue was small,
// a fresh squeue otherwise (and on the first read, before the size is known). Both answers are real ones
// captured at the same moment on the test bed, so the collector must produce the same jobs either way.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectQueue, SESSION_QUEUE_MAX_JOBS } from '../../../../electron/core/collect/collectors';
import type { Remote } from '../../../../electron/core/collect/remote';
import type { ScontrolSession } from '../../../../electron/core/collect/scontrol-session';
import type { Capabilities } from '../../../../shared/model/capabilities';

const dir = path.resolve(import.meta.dirname, '../../../fixtures/slurm/queue-sources/beta-24.11');
const scontrolOut = readFileSync(path.join(dir, 'scontrol-job.txt'), 'utf8');
const squeueOut = readFileSync(path.join(dir, 'squeue.txt'), 'utf8');

const caps = { slurmVersion: '24.11.5', json: {}, timeZone: 'UTC' } as unknown as Capabilities;

function remote(session: Pick<ScontrolSession, 'lastQueueSize'> | undefined, asked: string[]): Remote {
  return {
    cluster: 'beta',
    session: session as ScontrolSession | undefined,
    run: async (cmd) => {
      asked.push(cmd.argv[0] as string);
      return { code: 0, signal: null, stdout: cmd.argv[0] === 'scontrol' ? scontrolOut : squeueOut, stderr: '', durationMs: 1 };
    },
  };
}

describe('queue source', () => {
  it('squeue without a session, and on the first read through one; then the session while the queue is small', async () => {
    const asked: string[] = [];
    expect((await collectQueue(remote(undefined, asked), caps)).value?.length).toBeGreaterThan(0);
    const session = { lastQueueSize: null as number | null };
    const first = await collectQueue(remote(session, asked), caps);
    expect(session.lastQueueSize).toBe(first.value?.length);
    const second = await collectQueue(remote(session, asked), caps);
    expect(asked).toEqual(['squeue', 'squeue', 'scontrol']);
    expect(second.problem).toBeNull();
    const byId = (jobs: typeof first.value) => [...(jobs ?? [])].sort((a, b) => a.jobIdRaw - b.jobIdRaw || a.jobId.localeCompare(b.jobId));
    expect(byId(second.value)).toEqual(byId(first.value));
  });

  it('squeue again once the queue is larger than the session limit', async () => {
    const asked: string[] = [];
    const session = { lastQueueSize: SESSION_QUEUE_MAX_JOBS + 1 };
    await collectQueue(remote(session, asked), caps);
    expect(asked).toEqual(['squeue']);
  });
});
