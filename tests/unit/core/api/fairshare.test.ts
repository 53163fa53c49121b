// fairshare.tree and priority.pending over a real store, through the dispatcher: the snapshot as of `at`,
// sshare's `inf` LevelFS carried as 'inf', sprio rows named from the queue of the same moment.
import { describe, expect, it } from 'vitest';
import type { FairshareTree, PendingPriorities } from '../../../../shared/api/methods/fairshare';
import type { FairshareRow } from '../../../../shared/model/fairshare';
import type { PriorityRow } from '../../../../shared/model/priority';
import { createCore } from '../../../../electron/core/core';
import { dispatch } from '../../../../electron/core/dispatch';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import { job, storeWith, tres } from '../store/builders';
import { useTempDirs } from '../store/temp-dir';

const tempDir = useTempDirs();
const T0 = 1_700_000_000;

const fs = (account: string, user: string | null, depth: number, over: Partial<FairshareRow> = {}): FairshareRow => ({
  account, user, depth, parent: null, rawShares: 1, normShares: 0.5, rawUsage: 100, effectiveUsage: 0.25, fairShare: user ? 0.5 : null, levelFs: 2, grpTresMins: null, tresRunMins: null, ...over,
});
const prio = (jobIdRaw: number, priority: number): PriorityRow => ({
  jobIdRaw, user: 'alice', account: 'nlp', partition: 'gpu', priority, age: 10, fairshare: priority - 1000, jobSize: 5, partitionFactor: 1000, qos: 0, site: 0, tres: 'gres/gpu=40',
});

function setup() {
  const store = storeWith(tempDir(), ['alpha']);
  const w = new SnapshotWriter(store);
  w.write({ cluster: 'alpha', startedAt: T0, finishedAt: T0 + 1, fairshare: [fs('root', null, 0), fs('nlp', null, 1), fs('nlp', 'alice', 2, { levelFs: Number.POSITIVE_INFINITY, rawUsage: 0 })] });
  w.write({
    cluster: 'alpha', startedAt: T0 + 60, finishedAt: T0 + 61,
    queue: [job(5, { state: 'PENDING', reason: 'Priority', jobId: '5', startTime: null, tresAlloc: null, tresReq: tres({ gpu: 2 }), qos: 'high' })],
    priority: [prio(5, 9000), prio(6, 3000)],
  });
  w.write({ cluster: 'alpha', startedAt: T0 + 900, finishedAt: T0 + 901, fairshare: [fs('root', null, 0)] });
  return createCore({ host: 'web', store, source: 'live' });
}

describe('fairshare.tree', () => {
  it('returns the sshare rows as of `at`, with inf LevelFS as "inf"', async () => {
    const core = setup();
    const old = (await dispatch(core.api, 'fairshare.tree', { cluster: 'alpha', at: T0 + 100 })) as FairshareTree;
    expect(old.collectedAt).toBe(T0 + 1);
    expect(old.rows.map((r) => [r.account, r.user, r.depth, r.levelFs])).toEqual([
      ['root', null, 0, 2],
      ['nlp', null, 1, 2],
      ['nlp', 'alice', 2, 'inf'],
    ]);
    const latest = (await dispatch(core.api, 'fairshare.tree', { cluster: 'alpha' })) as FairshareTree;
    expect(latest.collectedAt).toBe(T0 + 901);
    expect(latest.rows).toHaveLength(1);
    const before = (await dispatch(core.api, 'fairshare.tree', { cluster: 'alpha', at: T0 - 1 })) as FairshareTree;
    expect(before).toMatchObject({ collectedAt: null, rows: [] });
    await expect(dispatch(core.api, 'fairshare.tree', { cluster: 'nope' })).rejects.toThrow(/no cluster named "nope"/);
  });
});

describe('priority.pending', () => {
  it('joins sprio rows to the queue of the same snapshot; a job not in it keeps its raw id', async () => {
    const core = setup();
    const p = (await dispatch(core.api, 'priority.pending', { cluster: 'alpha' })) as PendingPriorities;
    expect(p.collectedAt).toBe(T0 + 61);
    expect(p.available).toBe(true);
    expect(p.jobs.map((j) => [j.jobId, j.priority, j.qos, j.reason, j.gpus, j.fairshare])).toEqual([
      ['5', 9000, 'high', 'Priority', 2, 8000],
      ['6', 3000, null, null, null, 2000],
    ]);
    const before = (await dispatch(core.api, 'priority.pending', { cluster: 'alpha', at: T0 + 10 })) as PendingPriorities;
    expect(before.jobs).toEqual([]);
  });
});
