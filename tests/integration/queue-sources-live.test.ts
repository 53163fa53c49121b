// The job queue from its two sources on both live test-bed clusters (Slurm 22.05 and 24.11), over a real
// ssh2 connection: `scontrol -d -o show job` read by parseScontrolQueue and `squeue -a -h -O …` read by
// parseSqueue must list the same jobs with equal records. The queue moves (a job starts, a priority is
// recalculated), so scontrol runs before and after squeue; a round counts only when the two scontrol
// answers agree, and a changed queue is tried again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueuedJob } from '../../shared/model/job';
import { scontrolJobsCommand, squeueCommand, type SlurmCommand } from '../../shared/slurm/commands';
import type { ParseResult } from '../../shared/slurm/parse/result';
import { parseScontrolQueue } from '../../shared/slurm/parse/scontrol-queue';
import { parseSqueue } from '../../shared/slurm/parse/squeue';
import { execArgv } from '../../electron/core/ssh/exec';
import { CLUSTERS, connect, readCluster, type Connection } from './testbed';

// The test bed's hosts run in UTC; both commands ask for epoch times anyway.
const ZONE = { timeZone: 'UTC' };
const TRIES = 6;

async function output(conn: Connection, cmd: SlurmCommand): Promise<string> {
  const res = await execArgv(conn.client, cmd.argv, { env: cmd.env, timeoutMs: 60_000 });
  expect(res.code, `${cmd.argv.join(' ')}: ${res.stderr}`).toBe(0);
  return res.stdout;
}

function clean(result: ParseResult<QueuedJob>): Map<number, QueuedJob> {
  expect(result.errors.map((e) => e.message)).toEqual([]);
  return new Map(result.items.map((j) => [j.jobIdRaw, j]));
}

const ids = (jobs: Map<number, QueuedJob>): number[] => [...jobs.keys()].sort((a, b) => a - b);

describe.each(CLUSTERS)('job queue from scontrol and from squeue on live cluster %s', (name) => {
  let conn: Connection;

  beforeAll(async () => {
    conn = await connect(readCluster(name), 'opsoper');
  });
  afterAll(() => conn?.close());

  it('lists the same jobs with equal records', async () => {
    let round = 0;
    for (;;) {
      round++;
      const before = clean(parseScontrolQueue(await output(conn, scontrolJobsCommand()), ZONE));
      const viaSqueue = clean(parseSqueue(await output(conn, squeueCommand()), ZONE));
      const after = clean(parseScontrolQueue(await output(conn, scontrolJobsCommand()), ZONE));
      // Compared only against a queue that stood still while squeue ran.
      let stable = true;
      try {
        expect([...after.values()]).toEqual([...before.values()]);
      } catch (err) {
        stable = false;
        if (round >= TRIES) throw err;
      }
      if (!stable) {
        await new Promise((r) => setTimeout(r, 2000));
        continue;
      }
      expect(before.size, `${name}: the scenario leaves jobs in the queue`).toBeGreaterThan(0);
      expect(ids(before)).toEqual(ids(viaSqueue));
      // No exceptions: every field of every record.
      for (const [id, job] of before) expect(job, `${name} job ${job.jobId}`).toEqual(viaSqueue.get(id));
      return;
    }
  });
});
