// preemptions.list over a real store, through the dispatcher (so the response is checked against the
// contract): victims in the window, what they lost, the inferred preemptor from stored runs and partition
// tiers, totals by the cluster's local day, the cluster filter, and time travel.
import { describe, expect, it } from 'vitest';
import type { PreemptionHistory } from '../../../../shared/api/methods/preemptions';
import { candidateIntervals } from '../../../../electron/core/api/preemptions';
import { createCore } from '../../../../electron/core/core';
import { dispatch } from '../../../../electron/core/dispatch';
import { inIntervals } from '../../../../electron/core/store/preemption-reads';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import { decodePreemptions } from '../../../../renderer/src/views/preemptions/preemptions-data';
import { partition, run, storeWith, tres } from '../store/builders';
import { useTempDirs } from '../store/temp-dir';

const tempDir = useTempDirs();
const T0 = 1_700_000_000; // 2023-11-14T22:13:20Z: 23:13 in Berlin, so +1 h crosses local midnight

function setup() {
  const store = storeWith(tempDir(), [{ name: 'alpha', timeZone: 'Europe/Berlin' }, 'beta']);
  const w = new SnapshotWriter(store);
  const four = tres({ gpu: 4, gpuByType: { h100: 4 }, cpu: 8, node: 1 });
  w.write({ cluster: 'alpha', startedAt: T0, finishedAt: T0 + 1, partitions: [partition('preemptible', { priorityTier: 1 }), partition('prod', { priorityTier: 10 })] });
  w.write({
    cluster: 'alpha',
    startedAt: T0 + 7200,
    finishedAt: T0 + 7201,
    accounting: {
      since: T0 - 86400,
      until: T0 + 7200,
      runs: [
        // Victim: 4 GPUs for 90 min on n1, preempted at T0 + 5400.
        run(10, { partition: 'preemptible', state: 'PREEMPTED', submitTime: T0 - 10, startTime: T0, endTime: T0 + 5400, elapsed: 5400, allocTres: four, nodesExpr: 'n1', nodes: ['n1'] }),
        // Its own next run (same job id) and a same-tier run on n1: neither can be the preemptor.
        run(10, { partition: 'preemptible', state: 'PENDING', submitTime: T0 + 5401, startTime: null, endTime: null, elapsed: 0, nodesExpr: null, nodes: [] }),
        run(11, { partition: 'preemptible', state: 'COMPLETED', submitTime: T0, startTime: T0 + 5400, endTime: T0 + 5500, elapsed: 100, nodesExpr: 'n1', nodes: ['n1'] }),
        // The prod job on n1 two seconds later, still running: the preemptor.
        run(12, { partition: 'prod', state: 'RUNNING', submitTime: T0 + 5000, startTime: T0 + 5402, endTime: null, elapsed: 1000, nodesExpr: 'n[1-2]', nodes: ['n1', 'n2'] }),
        // A prod job on another node, closer in time: not on the victim's nodes.
        run(13, { partition: 'prod', state: 'COMPLETED', submitTime: T0 + 5000, startTime: T0 + 5400, endTime: T0 + 6000, elapsed: 600, nodesExpr: 'n3', nodes: ['n3'] }),
        // An admin requeue of a CPU job after local midnight.
        run(14, { partition: 'cpu', state: 'REQUEUED', submitTime: T0, startTime: T0 + 3000, endTime: T0 + 3600, elapsed: 600, allocTres: tres({ cpu: 1 }), nodesExpr: 'c1', nodes: ['c1'] }),
      ],
    },
  });
  w.write({
    cluster: 'beta',
    startedAt: T0 + 7200,
    finishedAt: T0 + 7202,
    accounting: { since: T0 - 86400, until: T0 + 7200, runs: [run(20, { state: 'PREEMPTED', submitTime: T0, startTime: T0 + 100, endTime: T0 + 200, elapsed: 100, nodesExpr: 'g1', nodes: ['g1'] })] },
  });
  return createCore({ host: 'web', store, source: 'live' });
}

// Decoded as the view decodes it: runs and requeue counts arrive as columns.
const list = async (core: ReturnType<typeof setup>, req: object) => decodePreemptions((await dispatch(core.api, 'preemptions.list', req)) as PreemptionHistory);

describe('preemptions.list', () => {
  it('lists preempted and requeued runs with GPU-seconds lost and the inferred preemptor', async () => {
    const core = setup();
    const h = await list(core, { from: T0 - 3600, to: T0 + 86400 });
    expect(h.runs.map((r) => `${r.cluster}/${r.jobId}/${r.state}`)).toEqual(['alpha/10/PREEMPTED', 'alpha/14/REQUEUED', 'beta/20/PREEMPTED']);
    const victim = h.runs[0];
    expect(victim).toMatchObject({ gpus: 4, gpuTypes: 'h100:4', lostSeconds: 5400, gpuSecondsLost: 4 * 5400, day: '2023-11-15' });
    expect(victim?.preemptor).toMatchObject({ jobId: '12', secondsAfter: 2, sharedNodes: ['n1'], basis: 'partition-tier', why: 'partition prod (tier 10) > preemptible (tier 1)' });
    expect(h.runs[1]?.preemptor).toBeNull();
    // beta has no partitions stored and no other run: nothing inferred, and it says tiers are unknown.
    expect(h.runs[2]?.preemptor).toBeNull();
    expect(h.clusters).toEqual([
      { name: 'alpha', timeZone: 'Europe/Berlin', accountingAt: T0 + 7201, partitionTiersKnown: true },
      { name: 'beta', timeZone: 'UTC', accountingAt: T0 + 7202, partitionTiersKnown: false },
    ]);
    // Days are the cluster's local days: the requeue at 23:13+1h Berlin is on the 15th too, beta's at 22:16 UTC on the 14th.
    expect(h.totals.byDay).toEqual([
      { key: '2023-11-14', runs: 1, lostSeconds: 100, gpuSecondsLost: 400 },
      { key: '2023-11-15', runs: 2, lostSeconds: 6000, gpuSecondsLost: 21600 },
    ]);
    expect(h.totals.byPartition[0]).toEqual({ key: 'preemptible', runs: 1, lostSeconds: 5400, gpuSecondsLost: 21600 });
    expect(h.requeues.find((r) => r.jobIdRaw === 14)).toMatchObject({ cluster: 'alpha', preempted: 0, requeued: 1 });
  });

  it('follows the cluster filter and refuses an unknown cluster', async () => {
    const core = setup();
    const h = await list(core, { from: T0 - 3600, to: T0 + 86400, clusters: ['beta'] });
    expect(h.runs.map((r) => r.cluster)).toEqual(['beta']);
    await expect(list(core, { from: T0, to: T0 + 1, clusters: ['gamma'] })).rejects.toThrow(/no cluster named "gamma" \(known: alpha, beta\)/);
    await expect(list(core, { from: T0 + 10, to: T0 })).rejects.toThrow(/from must be before to/);
  });

  it('time travel shows only what had ended by then, and no preemptor that had not started', async () => {
    const core = setup();
    const before = await list(core, { from: T0 - 3600, to: T0 + 86400, at: T0 + 5399 });
    expect(before.runs.map((r) => r.jobId)).toEqual(['14', '20']);
    const just = await list(core, { from: T0 - 3600, to: T0 + 86400, at: T0 + 5401 });
    expect(just.runs.find((r) => r.jobId === '10')?.preemptor).toBeNull();
    expect(just.to).toBe(T0 + 5402);
  });
});

describe('candidate intervals', () => {
  it('merges overlapping windows around victim ends and stops at the time-travel moment', () => {
    expect(candidateIntervals([100, 150, 1000], Number.MAX_SAFE_INTEGER)).toEqual([
      [95, 270],
      [995, 1120],
    ]);
    expect(candidateIntervals([100, 1000], 1010)).toEqual([
      [95, 220],
      [995, 1010],
    ]);
    expect(candidateIntervals([1000], 990)).toEqual([]);
    const iv = candidateIntervals([100, 1000], Number.MAX_SAFE_INTEGER);
    expect([94, 95, 220, 221, 994, 995, 1120, 1121].map((t) => inIntervals(iv, t))).toEqual([false, true, true, false, false, true, true, false]);
  });
});
