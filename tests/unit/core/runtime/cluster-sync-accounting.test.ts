// What ClusterSync asks sacct for: the first sync every run of the window; later syncs only runs that ended
// since the watermark (minus the overlap), plus by id the jobs the latest queue snapshot shows running whose
// run is not stored as started. With nothing new, one sacct call and no fetch by id.
import { describe, expect, it } from 'vitest';
import { ACCOUNTING_OVERLAP_S, ClusterSync } from '../../../../electron/core/runtime/cluster-sync';
import type { ConnectionPool } from '../../../../electron/core/ssh/pool';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import { RunsRepo } from '../../../../electron/core/store/runs-repo';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import { SACCT_ACTIVE_STATES, SACCT_ENDED_STATES } from '../../../../shared/slurm/commands';
import { job, storeWith } from '../store/builders';
import { useTempDirs } from '../store/temp-dir';

const tempDir = useTempDirs();
const HEADER = 'JobID|JobIDRaw|User|Account|Partition|QOS|State|ExitCode|Submit|Eligible|Start|End|ElapsedRaw|Timelimit|AllocTRES|ReqTRES|NodeList|Restarts|JobName';
const T = 1_795_700_000;

function line(id: number, state: string, start: number | null, end: number | null): string {
  const t = (v: number | null) => (v === null ? 'Unknown' : String(v));
  return `${id}|${id}|alice|nlp|gpu|normal|${state}|0:0|${T - 3600}|${T - 3600}|${t(start)}|${t(end)}|60|01:00:00|billing=1,cpu=1,node=1|billing=1,cpu=1,node=1|gpu-01|0|job-${id}`;
}

const arg = (argv: readonly string[], flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);

/** A ClusterSync over a store whose cluster "beta" is already probed, and a pool answering sacct with `answer`. */
function setup(answer: (argv: readonly string[]) => string[]) {
  const store = storeWith(tempDir(), [{ name: 'beta', timeZone: 'UTC' }]);
  const asked: string[][] = [];
  const connection = {
    exec: async (argv: readonly string[]) => {
      asked.push([...argv]);
      return { code: 0, signal: null, stdout: [HEADER, ...answer(argv)].join('\n') + '\n', stderr: '', durationMs: 1 };
    },
    stats: () => ({ connects: 1 }),
    // Fewer channels than the sessions need: every command goes through exec.
    status: () => ({ channelLimit: 1 }),
  };
  const pool = { get: () => connection, onState: () => () => undefined } as unknown as ConnectionPool;
  let now = T * 1000;
  const sync = new ClusterSync(store, pool, { now: () => now });
  // Counts as probed over the current connection: capabilities come from the store.
  (sync as unknown as { probedOnConnect: Map<string, number> }).probedOnConnect.set('beta', 1);
  return { store, sync, asked, advance: (s: number) => (now += s * 1000) };
}

describe('ClusterSync accounting', () => {
  it('fetches only what changed after the first sync', async () => {
    // The cluster: job 1 finished long ago, 2 is running, 3 pending; later 3 starts and 4 ends.
    let started3 = false;
    const { store, sync, asked, advance } = setup((argv) => {
      const states = arg(argv, '-s');
      const jobs = arg(argv, '-j');
      if (jobs !== undefined) return jobs.split(',').includes('3') && started3 ? [line(3, 'RUNNING', T + 100, null)] : [];
      if (states === SACCT_ACTIVE_STATES.join(',')) return [line(2, 'RUNNING', T - 1000, null), line(3, 'PENDING', null, null)];
      // ended in the window: 1 (ended at T - 2000) only for a window reaching back that far
      const from = Number(new Date(`${arg(argv, '-S')}Z`)) / 1000;
      if (states !== undefined) return [...(from <= T - 2000 ? [line(1, 'COMPLETED', T - 3000, T - 2000)] : []), ...(started3 ? [line(4, 'COMPLETED', T + 50, T + 150)] : [])];
      return [];
    });
    const id = new ClustersRepo(store.db).idOf('beta');
    const runs = new RunsRepo(store.db);

    const first = await sync.sync('beta', { kinds: ['accounting'], initialAccountingDays: 1 });
    expect(first.errors).toEqual([]);
    // the first sync: what ended in the window, then what is active now
    expect(asked.map((a) => arg(a, '-s'))).toEqual([SACCT_ENDED_STATES.join(','), SACCT_ACTIVE_STATES.join(',')]);
    expect(runs.count(id)).toBe(3);

    // The queue as the poller stored it: 2 running (stored as started), 3 pending.
    new SnapshotWriter(store).write({ cluster: 'beta', startedAt: T + 10, finishedAt: T + 10, queue: [job(2, { startTime: T - 1000 }), job(3, { state: 'PENDING', startTime: null })] });
    advance(60);
    asked.length = 0;
    const quiet = await sync.sync('beta', { kinds: ['accounting'] });
    expect(quiet.errors).toEqual([]);
    expect(asked).toHaveLength(1);
    expect(arg(asked[0] as string[], '-s')).toBe(SACCT_ENDED_STATES.join(','));
    expect(asked[0]).not.toContain('-j');
    expect(Number(new Date(`${arg(asked[0] as string[], '-S')}Z`)) / 1000).toBe(T - ACCOUNTING_OVERLAP_S);
    expect(quiet.snapshots[0]?.rows.accounting).toBe(0);

    // 3 starts and 4 ends; the queue shows 3 running.
    started3 = true;
    new SnapshotWriter(store).write({ cluster: 'beta', startedAt: T + 200, finishedAt: T + 200, queue: [job(2, { startTime: T - 1000 }), job(3, { startTime: T + 100 })] });
    advance(300);
    asked.length = 0;
    const changed = await sync.sync('beta', { kinds: ['accounting'] });
    expect(changed.errors).toEqual([]);
    expect(asked.map((a) => arg(a, '-j') ?? 'ended')).toEqual(['ended', '3']);
    expect(changed.snapshots[0]?.rows.accounting).toBe(2);
    expect(runs.runsOfJob(id, 3)[0]?.state).toBe('RUNNING');
    expect(runs.runsOfJob(id, 4)[0]?.state).toBe('COMPLETED');

    // 3 is now stored as started: nothing is fetched by id again.
    advance(60);
    asked.length = 0;
    await sync.sync('beta', { kinds: ['accounting'] });
    expect(asked).toHaveLength(1);
    expect(asked[0]).not.toContain('-j');
    store.close();
  });

  it('asks by id for a running job whose stored run ended before the queue says it started (requeued)', async () => {
    const { store, sync, asked, advance } = setup((argv) => (arg(argv, '-s') === undefined && arg(argv, '-j') === undefined ? [line(7, 'REQUEUED', T - 900, T - 800)] : []));
    await sync.sync('beta', { kinds: ['accounting'], initialAccountingDays: 1 });
    new SnapshotWriter(store).write({ cluster: 'beta', startedAt: T + 10, finishedAt: T + 10, queue: [job(7, { startTime: T - 100 }), job(8, { state: 'SUSPENDED', startTime: T - 50 })] });
    advance(60);
    asked.length = 0;
    await sync.sync('beta', { kinds: ['accounting'] });
    expect(asked.map((a) => arg(a, '-j') ?? 'ended')).toEqual(['ended', '7,8']);
    store.close();
  });
});
