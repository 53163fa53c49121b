import { describe, expect, it } from 'vitest';
import type { ActionPreview, ActionProgress, ActionRecord, JobPreview, JobResult } from '../../../../../shared/api/methods/actions';
import {
  actionIdOf,
  canConfirm,
  confirmedIds,
  flowReducer,
  followUp,
  heldByRecord,
  initialFlow,
  needsTypedName,
  parseRunOptions,
  progressText,
  retryableResults,
  reviewOrder,
  shownRecord,
  splitByCluster,
  verdictText,
  type FlowState,
} from '../../../../../renderer/src/views/jobs/bulk-actions';
import type { SelectedJob } from '../../../../../renderer/src/store/selection-store';

const sel = (cluster: string, jobIdRaw: number, jobId = String(jobIdRaw)): SelectedJob => ({ cluster, jobIdRaw, jobId, state: 'RUNNING', user: 'opsuser', account: 'vision' });

function job(jobId: string, willRun: boolean, extra: Partial<JobPreview> = {}): JobPreview {
  return {
    jobId,
    jobIdRaw: Number(jobId.split('_')[0]),
    requested: jobId,
    user: 'opsuser',
    account: 'vision',
    partition: 'gpu',
    state: willRun ? 'RUNNING' : 'PENDING',
    reason: null,
    gpus: 1,
    runSeconds: 60,
    restarts: 0,
    willRun,
    skip: willRun ? null : 'pending',
    why: willRun ? null : 'already pending (Priority)',
    ...extra,
  };
}

function preview(cluster: string, jobs: JobPreview[], action: ActionPreview['action'] = 'requeue'): ActionPreview {
  const willRun = jobs.filter((j) => j.willRun).length;
  return {
    cluster,
    action,
    clusterUser: 'opsuser',
    adminLevel: 'None',
    coordinatorOf: [],
    checkedAt: 1_800_000_000,
    jobs,
    totals: { selected: jobs.length, willRun, skipped: jobs.length - willRun, bySkip: {}, gpusFreed: willRun, gpuHoursLost: 0.5, users: ['opsuser'], accounts: ['vision'] },
    confirmNameAbove: 20,
  };
}

function result(jobId: string, status: JobResult['status'], retryable = false): JobResult {
  return { jobId, jobIdRaw: Number(jobId), status, retryable, message: status === 'done' ? null : 'x', exitCode: null, batch: 1, at: 1 };
}

function record(id: number, cluster: string, results: JobResult[], extra: Partial<ActionRecord> = {}): ActionRecord {
  const counts: Partial<Record<JobResult['status'], number>> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return {
    id,
    cluster,
    action: 'requeue',
    origin: 'run',
    parentId: null,
    localUser: 'me',
    clusterUser: 'opsuser',
    startedAt: 1,
    finishedAt: 2,
    outcome: 'completed',
    selection: {},
    preview: preview(cluster, []),
    options: { batchSize: 50, pauseMs: 2000 },
    results,
    counts: counts as ActionRecord['counts'],
    ...extra,
  };
}

const progress = (actionId: number, batch: number, extra: Partial<ActionProgress> = {}): ActionProgress => ({
  actionId,
  cluster: 'alpha',
  action: 'requeue',
  batch,
  batches: 3,
  done: batch,
  failed: 0,
  total: 3,
  ...extra,
});

describe('bulk actions: selection and confirmation', () => {
  it('splits the selection by cluster (by name), ids as the API takes them, a pending array throttle dropped', () => {
    const parts = splitByCluster([sel('beta', 7), sel('alpha', 12, '12_[3-9%2]'), sel('alpha', 5), sel('beta', 8), sel('alpha', 5)]);
    expect(parts).toEqual([
      { cluster: 'alpha', jobIds: ['12_[3-9]', '5'], count: 3 },
      { cluster: 'beta', jobIds: ['7', '8'], count: 2 },
    ]);
    expect(actionIdOf('123_4')).toBe('123_4');
    expect(actionIdOf('123_[1,3-5]')).toBe('123_[1,3-5]');
  });

  it('asks for the typed cluster name only above the threshold, and then exactly', () => {
    const small = preview('alpha', Array.from({ length: 20 }, (_, i) => job(String(100 + i), true)));
    expect(needsTypedName(small)).toBe(false);
    expect(canConfirm(small, '')).toBe(true);
    // 21 jobs to act on (skipped ones do not count).
    const big = preview('alpha', [...Array.from({ length: 21 }, (_, i) => job(String(100 + i), true)), job('999', false)]);
    expect(needsTypedName(big)).toBe(true);
    expect(canConfirm(big, '')).toBe(false);
    expect(canConfirm(big, 'alph')).toBe(false);
    expect(canConfirm(big, 'Alpha')).toBe(false);
    expect(canConfirm(big, 'alpha ')).toBe(false);
    expect(canConfirm(big, 'alpha')).toBe(true);
    // Nothing to act on: nothing to confirm.
    expect(canConfirm(preview('alpha', [job('1', false)]), 'alpha')).toBe(false);
  });

  it('confirms exactly the will-run ids; lists skipped jobs first with why', () => {
    const p = preview('alpha', [job('1', true), job('2', false), job('3_1', true)]);
    expect(confirmedIds(p)).toEqual(['1', '3_1']);
    expect(reviewOrder(p.jobs).map((j) => j.jobId)).toEqual(['2', '1', '3_1']);
    expect(verdictText(p.jobs[0] as JobPreview, 'requeuehold')).toBe('will be requeued and held');
    expect(verdictText(p.jobs[1] as JobPreview, 'requeue')).toBe('already pending (Priority)');
  });

  it('reads batch options within the API bounds', () => {
    expect(parseRunOptions('50', '2')).toEqual({ batchSize: 50, pauseMs: 2000 });
    expect(parseRunOptions('1', '0.5')).toEqual({ batchSize: 1, pauseMs: 500 });
    for (const [b, p] of [['0', '2'], ['1001', '2'], ['2.5', '2'], ['5', '-1'], ['5', '601'], ['5', ''], ['x', '1']] as const) expect(parseRunOptions(b, p), `${b} ${p}`).toBeNull();
  });

  it('offers retry for retryable failures / unknown / never sent, and undo for what a requeuehold held', () => {
    const r = record(1, 'alpha', [result('1', 'done'), result('2', 'failed', false), result('3', 'failed', true), result('4', 'unknown', true), result('5', 'cancelled', true), result('6', 'skipped')]);
    expect(retryableResults(r).map((x) => x.jobId)).toEqual(['3', '4', '5']);
    expect(heldByRecord(r)).toBe(0);
    expect(heldByRecord({ ...r, action: 'requeuehold' })).toBe(1);
    expect(progressText(null)).toMatch(/Checking the jobs live/);
    expect(progressText(progress(9, 1, { failed: 1 }))).toBe('Batch 1 of 3: 2 of 3 jobs answered, 1 done, 1 not done');
  });
});

describe('bulk actions: the flow', () => {
  const two = () => initialFlow(splitByCluster([sel('alpha', 1), sel('alpha', 2), sel('beta', 3)]));

  it('previews, drops a late answer for an action no longer chosen, runs, and adopts only its own progress', () => {
    let s: FlowState = two();
    expect(s.status).toEqual(['current', 'waiting']);
    s = flowReducer(s, { type: 'choose', action: 'requeuehold' });
    s = flowReducer(s, { type: 'preview-loaded', preview: preview('alpha', [job('1', true)], 'requeue') });
    expect(s.phase).toMatchObject({ kind: 'preview', status: 'loading' });
    s = flowReducer(s, { type: 'preview-loaded', preview: preview('alpha', [job('1', true)], 'requeuehold') });
    expect(s.phase).toMatchObject({ kind: 'preview', status: 'ready' });

    s = flowReducer(s, { type: 'run-started', origin: 'run', cluster: 'alpha', action: 'requeuehold' });
    // Another console's action, or a later batch of one that started before: not ours.
    s = flowReducer(s, { type: 'progress', progress: progress(40, 0, { cluster: 'beta', action: 'requeuehold' }) });
    s = flowReducer(s, { type: 'progress', progress: progress(41, 2, { action: 'requeuehold' }) });
    expect(s.phase).toMatchObject({ kind: 'running', actionId: null });
    // Cancel before the id is known waits for it.
    s = flowReducer(s, { type: 'cancel-requested' });
    s = flowReducer(s, { type: 'progress', progress: progress(42, 0, { action: 'requeuehold' }) });
    expect(s.phase).toMatchObject({ kind: 'running', actionId: 42, cancelRequested: true, cancelSent: false });
    s = flowReducer(s, { type: 'progress', progress: progress(43, 1, { action: 'requeuehold' }) });
    s = flowReducer(s, { type: 'progress', progress: progress(42, 1, { action: 'requeuehold' }) });
    expect(s.phase).toMatchObject({ progress: { actionId: 42, batch: 1 } });

    const held = record(42, 'alpha', [result('1', 'done'), result('2', 'cancelled', true)], { action: 'requeuehold', outcome: 'cancelled' });
    s = flowReducer(s, { type: 'run-finished', record: held });
    expect(shownRecord(s)?.id).toBe(42);
    expect(s.status).toEqual(['done', 'waiting']);

    // Undo: its progress is a release; the results then show the undo, and the hold knows it was undone.
    s = flowReducer(s, { type: 'run-started', origin: 'undo', cluster: 'alpha', action: 'release' });
    s = flowReducer(s, { type: 'progress', progress: progress(44, 0, { action: 'release' }) });
    s = flowReducer(s, { type: 'run-finished', record: record(44, 'alpha', [result('1', 'done')], { action: 'release', origin: 'undo', parentId: 42 }) });
    expect(shownRecord(s)?.id).toBe(44);
    expect(followUp(s, held, 'undo')?.id).toBe(44);
    expect(followUp(s, held, 'retry')).toBeNull();
    s = flowReducer(s, { type: 'show', actionId: 42 });
    expect(shownRecord(s)?.id).toBe(42);

    // On to the next cluster, with its own preview.
    s = flowReducer(s, { type: 'next' });
    expect(s.index).toBe(1);
    expect(s.status).toEqual(['done', 'current']);
    expect(s.phase).toMatchObject({ kind: 'preview', status: 'loading' });
    s = flowReducer(s, { type: 'preview-loaded', preview: preview('alpha', [job('1', true)], 'requeuehold') });
    expect(s.phase).toMatchObject({ status: 'loading' }); // alpha's answer is not beta's preview
  });

  it('a run refused before it began goes back to the preview; a refused retry back to the results', () => {
    let s: FlowState = flowReducer(two(), { type: 'preview-loaded', preview: preview('alpha', [job('1', true)]) });
    s = flowReducer(s, { type: 'run-started', origin: 'run', cluster: 'alpha', action: 'requeue' });
    s = flowReducer(s, { type: 'run-failed', error: 'job actions need live clusters', record: null });
    expect(s.phase).toMatchObject({ kind: 'preview', status: 'error', error: 'job actions need live clusters' });

    s = flowReducer(s, { type: 'preview-loading' });
    s = flowReducer(s, { type: 'preview-loaded', preview: preview('alpha', [job('1', true)]) });
    s = flowReducer(s, { type: 'run-started', origin: 'run', cluster: 'alpha', action: 'requeue' });
    s = flowReducer(s, { type: 'run-finished', record: record(7, 'alpha', [result('1', 'failed', true)]) });
    s = flowReducer(s, { type: 'run-started', origin: 'retry', cluster: 'alpha', action: 'requeue' });
    s = flowReducer(s, { type: 'run-failed', error: 'nothing to retry', record: null });
    expect(s.phase).toEqual({ kind: 'results', shown: 7, error: 'nothing to retry' });
  });

  it('skipping a cluster moves on without running anything there', () => {
    let s = flowReducer(two(), { type: 'skip' });
    expect(s.status).toEqual(['skipped', 'current']);
    expect(s.index).toBe(1);
    expect(s.records).toEqual([]);
    s = flowReducer(s, { type: 'skip' });
    expect(s.status).toEqual(['skipped', 'skipped']);
  });
});
