// The accounting collector: a full window asks for every run; an incremental one only for runs that ended
// in the window, plus the requested jobs by id in argv-sized chunks, the later answer winning a duplicate.
import { describe, expect, it } from 'vitest';
import type { Capabilities } from '../../../../shared/model/capabilities';
import { collectAccounting, SACCT_JOBS_PER_CALL } from '../../../../electron/core/collect/collectors';
import type { Remote } from '../../../../electron/core/collect/remote';
import { SACCT_ACTIVE_STATES, SACCT_ENDED_STATES } from '../../../../shared/slurm/commands';

const caps: Capabilities = {
  slurmVersion: '24.11.5', json: {}, accounting: true, accountingError: null, user: 'opsuser', adminLevel: 'None', coordinatorOf: [],
  privateData: [], timeZone: 'UTC', commands: {}, probedAt: 0,
};
const HEADER = 'JobID|JobIDRaw|User|Account|Partition|QOS|State|ExitCode|Submit|Eligible|Start|End|ElapsedRaw|Timelimit|AllocTRES|ReqTRES|NodeList|Restarts|JobName';
const T = 1_795_700_000;

function sacctLine(id: number, state: string, start: number | null, end: number | null): string {
  const t = (v: number | null) => (v === null ? 'Unknown' : String(v));
  return `${id}|${id}|alice|nlp|gpu|normal|${state}|0:0|${T - 100}|${T - 100}|${t(start)}|${t(end)}|60|01:00:00|billing=1,cpu=1,node=1|billing=1,cpu=1,node=1|gpu-01|0|job-${id}`;
}

/** Answers sacct with `answer(argv)` lines under the header, recording every argv. */
function remote(answer: (argv: string[]) => string[], asked: string[][]): Remote {
  return {
    cluster: 'beta',
    run: async (cmd) => {
      asked.push(cmd.argv);
      return { code: 0, signal: null, stdout: [HEADER, ...answer(cmd.argv)].join('\n') + '\n', stderr: '', durationMs: 1 };
    },
  };
}

const arg = (argv: readonly string[], flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);

describe('accounting collector', () => {
  it('with `active` (a first sync) asks for the runs that ended in the window, then for those active now', async () => {
    const asked: string[][] = [];
    const answer = (argv: readonly string[]) =>
      arg(argv, '-s') === SACCT_ACTIVE_STATES.join(',') ? [sacctLine(1, 'RUNNING', T, null), sacctLine(2, 'PENDING', null, null)] : [sacctLine(3, 'COMPLETED', T, T + 60)];
    const r = await collectAccounting(remote(answer, asked), caps, { since: T, until: T + 600, active: true });
    expect(asked.map((a) => arg(a, '-s'))).toEqual([SACCT_ENDED_STATES.join(','), SACCT_ACTIVE_STATES.join(',')]);
    expect(asked.some((a) => a.includes('-j'))).toBe(false);
    expect(r.value.runs.map((x) => x.jobIdRaw).sort()).toEqual([1, 2, 3]);
  });

  it('asks only for runs that ended in the window, and nothing by id when no job is given', async () => {
    const asked: string[][] = [];
    const r = await collectAccounting(remote(() => [], asked), caps, { since: T, until: T + 600 });
    expect(asked).toHaveLength(1);
    expect(arg(asked[0] as string[], '-s')).toBe(SACCT_ENDED_STATES.join(','));
    expect(r.value).toEqual({ runs: [], since: T, until: T + 600 });
  });

  it('fetches the given jobs by id in chunks, array tasks as printed and het components by raw id', async () => {
    const asked: string[][] = [];
    const jobs = Array.from({ length: SACCT_JOBS_PER_CALL * 2 + 1 }, (_, i) => ({ jobId: String(1000 + i), jobIdRaw: 1000 + i }));
    jobs.push({ jobId: '77_3', jobIdRaw: 80 }, { jobId: '90+1', jobIdRaw: 91 });
    const answer = (argv: string[]) => {
      const j = arg(argv, '-j');
      if (j === undefined) return [sacctLine(5, 'COMPLETED', T - 50, T + 10)];
      // Job 1000 ended between the two calls: the by-id answer (later) must win.
      return j.split(',').includes('1000') ? [sacctLine(1000, 'COMPLETED', T, T + 20), sacctLine(5, 'COMPLETED', T - 50, T + 10)] : [];
    };
    const r = await collectAccounting(remote(answer, asked), caps, { since: T, until: T + 600, jobs });
    const byId = asked.filter((a) => a.includes('-j'));
    expect(asked).toHaveLength(1 + 3);
    expect(byId.every((a) => !a.includes('-s') && arg(a, '-S') !== undefined)).toBe(true);
    const ids = byId.flatMap((a) => (arg(a, '-j') as string).split(','));
    expect(ids).toHaveLength(jobs.length);
    expect(Math.max(...byId.map((a) => (arg(a, '-j') as string).split(',').length))).toBeLessThanOrEqual(SACCT_JOBS_PER_CALL);
    expect(ids).toContain('77_3');
    expect(ids).toContain('91');
    expect(ids).not.toContain('90+1');
    expect(r.value.runs.map((x) => x.jobIdRaw).sort((a, b) => a - b)).toEqual([5, 1000]);
  });
});
