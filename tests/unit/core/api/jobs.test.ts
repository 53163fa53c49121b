import { describe, expect, it } from 'vitest';
import { decodeDict, decodeU32, dictValue, NULL_U32 } from '../../../../shared/api/column-codec';
import type { JobsTable } from '../../../../shared/api/methods/jobs';
import { createCore } from '../../../../electron/core/core';
import { dispatch } from '../../../../electron/core/dispatch';
import { JobsRepo } from '../../../../electron/core/store/jobs-repo';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import { jobGpuCount } from '../../../../shared/fleet/cluster-status';
import { jobGpuTypeLabel } from '../../../../shared/jobs/job-gpus';
import { buildCluster } from '../../../../bench/generate/cluster';
import { generateQueue } from '../../../../bench/generate/queue';
import { job, run, storeWith, tres } from '../store/builders';
import { useTempDirs } from '../store/temp-dir';

const tempDir = useTempDirs();
const T0 = 1_700_000_000;

function rowsOf(t: JobsTable) {
  const n = t.count;
  const cluster = decodeU32(t.columns.cluster, n);
  const raw = decodeU32(t.columns.jobIdRaw, n);
  const state = decodeDict(t.columns.state, n);
  const reason = decodeDict(t.columns.reason, n);
  const gpuType = decodeDict(t.columns.gpuType, n);
  const gpus = decodeU32(t.columns.gpus, n);
  const start = decodeU32(t.columns.startTime, n);
  const limit = decodeU32(t.columns.timeLimit, n);
  return Array.from({ length: n }, (_, i) => ({
    cluster: t.clusters[cluster[i] as number]?.name,
    jobIdRaw: raw[i],
    state: dictValue(state, i),
    reason: dictValue(reason, i),
    gpus: gpus[i],
    gpuType: dictValue(gpuType, i),
    start: start[i] === NULL_U32 ? null : start[i],
    limit: limit[i] === NULL_U32 ? null : limit[i],
  }));
}

function setup() {
  const store = storeWith(tempDir(), [{ name: 'alpha', timeZone: 'Europe/Berlin' }, 'beta']);
  const w = new SnapshotWriter(store);
  w.write({ cluster: 'alpha', startedAt: T0, finishedAt: T0 + 2, queue: [job(100), job(101, { state: 'PENDING', reason: 'Resources', startTime: null, tresAlloc: null, nodesExpr: null, nodes: [], timeLimit: null, tresReq: tres({ gpu: 2 }), gpuType: null })] });
  w.write({ cluster: 'beta', startedAt: T0 + 10, finishedAt: T0 + 11, queue: [job(7, { tresAlloc: tres({ gpu: 8, gpuByType: { h100: 8 } }), gpuType: null })] });
  w.write({ cluster: 'alpha', startedAt: T0 + 600, finishedAt: T0 + 602, queue: [job(101, { state: 'RUNNING', startTime: T0 + 500 }), job(102, { state: 'PENDING', reason: 'Priority', startTime: null, tresAlloc: null })] });
  w.write({
    cluster: 'alpha', startedAt: T0 + 700, finishedAt: T0 + 701,
    accounting: {
      since: T0 - 3600, until: T0 + 700,
      runs: [
        run(101, { state: 'PREEMPTED', submitTime: T0 - 100, startTime: T0 + 10, endTime: T0 + 1810, elapsed: 1800, exitCode: { code: 0, signal: 15 } }),
        run(101, { state: 'RUNNING', submitTime: T0 + 1900, startTime: T0 + 2000, endTime: null, elapsed: 600 }),
        run(100),
      ],
    },
  });
  return createCore({ host: 'web', store, source: 'live' });
}

describe('jobs.table', () => {
  it('sends every cluster\'s latest queue as columns that decode to the stored jobs', async () => {
    const core = setup();
    const t = (await dispatch(core.api, 'jobs.table', {})) as JobsTable;
    expect(t.clusters).toEqual([
      { name: 'alpha', asOf: T0 + 602, timeZone: 'Europe/Berlin', exact: true, count: 2 },
      { name: 'beta', asOf: T0 + 11, timeZone: null, exact: true, count: 1 },
    ]);
    expect(rowsOf(t)).toEqual([
      { cluster: 'alpha', jobIdRaw: 101, state: 'RUNNING', reason: null, gpus: 4, gpuType: 'a100', start: T0 + 500, limit: 86_400 },
      { cluster: 'alpha', jobIdRaw: 102, state: 'PENDING', reason: 'Priority', gpus: 4, gpuType: 'a100', start: null, limit: 86_400 },
      { cluster: 'beta', jobIdRaw: 7, state: 'RUNNING', reason: null, gpus: 8, gpuType: 'h100', start: T0 + 100, limit: 86_400 },
    ]);
  });

  it('as of an earlier time shows the queue then (time travel), untyped GPU requests as null', async () => {
    const core = setup();
    const t = (await dispatch(core.api, 'jobs.table', { at: T0 + 5 })) as JobsTable;
    expect(t.clusters.map((c) => [c.name, c.asOf, c.count])).toEqual([['alpha', T0 + 2, 2], ['beta', null, 0]]);
    expect(rowsOf(t)).toEqual([
      { cluster: 'alpha', jobIdRaw: 100, state: 'RUNNING', reason: null, gpus: 4, gpuType: 'a100', start: T0 + 100, limit: 86_400 },
      { cluster: 'alpha', jobIdRaw: 101, state: 'PENDING', reason: 'Resources', gpus: 2, gpuType: null, start: null, limit: null },
    ]);
  });
});

describe('jobs.table agrees with the parsed model', () => {
  it('GPU count and type label of every generated job equal jobGpuCount / jobGpuTypeLabel of the stored QueuedJob', async () => {
    const store = storeWith(tempDir(), ['bench']);
    const queue = generateQueue(buildCluster(3, 'bench'), { jobs: 3000, now: T0, seed: 11 });
    // Cases the generator does not make: typed allocation with an untyped request, gpus only per node.
    queue.push(job(9_000_001, { tresReq: tres({ gpu: 2 }), tresAlloc: tres({ gpu: 2, gpuByType: { l40s: 2 } }), gpuType: null }));
    queue.push(job(9_000_002, { state: 'PENDING', startTime: null, tresAlloc: null, tresReq: tres({ cpu: 4 }), gpusPerNode: 2, numNodes: 3, gpuType: 'a100' }));
    const snap = new SnapshotWriter(store).write({ cluster: 'bench', startedAt: T0, finishedAt: T0 + 1, queue });
    const expected = new JobsRepo(store.db).current(snap.id).map((j) => ({ raw: j.jobIdRaw, gpus: jobGpuCount(j), type: jobGpuTypeLabel(j) }));
    const t = (await dispatch(createCore({ host: 'web', store, source: 'live' }).api, 'jobs.table', {})) as JobsTable;
    const got = rowsOf(t).map((r) => ({ raw: r.jobIdRaw, gpus: r.gpus, type: r.gpuType }));
    expect(got).toEqual(expected);
    expect(got.filter((r) => r.type !== null && r.type.length > 0).length).toBeGreaterThan(1000);
  });
});

describe('jobs.runs', () => {
  it('lists each run of a preempted job with its GPU-hours and exit code', async () => {
    const core = setup();
    const r = await core.api['jobs.runs']({ cluster: 'alpha', jobIdRaw: 101 });
    expect(r.accountingAt).toBe(T0 + 701);
    expect(r.runs.map((x) => [x.state, x.exitCode, x.gpus, x.gpuHours])).toEqual([
      ['PREEMPTED', '0:15', 4, 2],
      ['RUNNING', '0:0', 4, 4 * (600 / 3600)],
    ]);
    const before = await core.api['jobs.runs']({ cluster: 'alpha', jobIdRaw: 101, at: T0 + 1000 });
    expect(before.runs.map((x) => x.state)).toEqual(['PREEMPTED']);
  });

  it('refuses an unknown cluster with a clear error', async () => {
    const core = setup();
    await expect(dispatch(core.api, 'jobs.runs', { cluster: 'gamma', jobIdRaw: 1 })).rejects.toThrow(/no cluster named "gamma"/);
  });
});
