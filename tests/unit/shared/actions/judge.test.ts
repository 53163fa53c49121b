import { describe, expect, it } from 'vitest';
import { isHeld, judgeJob, type Actor } from '../../../../shared/actions/judge';
import { previewTotals } from '../../../../shared/actions/preview-totals';
import type { QueuedJob } from '../../../../shared/model/job';
import { emptyTres } from '../../../../shared/model/tres';

const NOW = 1_800_000_000;

function job(over: Partial<QueuedJob>): QueuedJob {
  return {
    jobId: '100', jobIdRaw: 100, arrayJobId: null, arrayTaskId: null, arrayTaskRange: null, name: 'train', user: 'opsuser', account: 'vision',
    partition: 'gpu', qos: 'normal', state: 'RUNNING', reason: null, priority: 1000, tresReq: emptyTres(), tresAlloc: { ...emptyTres(), gpu: 4 },
    gpusPerNode: null, gpuType: 'a100', nodesExpr: 'gpu-01', nodes: ['gpu-01'], numNodes: 1, numCpus: 8, submitTime: NOW - 7200,
    startTime: NOW - 3600, endTime: null, timeLimit: 86400, restarts: 0, batch: true, requeueable: true, dependency: null, ...over,
  };
}

const user: Actor = { user: 'opsuser', adminLevel: 'None', coordinatorOf: [] };
const coord: Actor = { user: 'opscoord', adminLevel: 'None', coordinatorOf: ['NLP'] };
const oper: Actor = { user: 'opsoper', adminLevel: 'Operator', coordinatorOf: [] };

describe('judgeJob', () => {
  it('own running batch job: will be requeued, with its GPUs and run time', () => {
    expect(judgeJob('100', job({}), 'requeue', user, NOW)).toMatchObject({ willRun: true, skip: null, gpus: 4, runSeconds: 3600 });
  });

  it('permission: owner, coordinator of the account (case-insensitive), Operator; nobody else', () => {
    const alice = job({ user: 'alice', account: 'nlp' });
    expect(judgeJob('100', alice, 'requeue', user, NOW)).toMatchObject({ willRun: false, skip: 'no-permission' });
    expect(judgeJob('100', alice, 'requeue', coord, NOW).willRun).toBe(true);
    expect(judgeJob('100', job({ user: 'bob', account: 'inference' }), 'requeue', coord, NOW).skip).toBe('no-permission');
    expect(judgeJob('100', alice, 'requeuehold', oper, NOW).willRun).toBe(true);
    expect(judgeJob('100', alice, 'requeue', { ...oper, adminLevel: 'Administrator' }, NOW).willRun).toBe(true);
  });

  it('says why not, state first (Slurm refuses a pending job before it checks permission)', () => {
    expect(judgeJob('1', null, 'requeue', user, NOW)).toMatchObject({ skip: 'vanished', jobIdRaw: null });
    expect(judgeJob('1', job({ batch: false }), 'requeue', user, NOW).skip).toBe('not-batch');
    expect(judgeJob('1', job({ state: 'PENDING', reason: 'Priority', startTime: null, user: 'alice' }), 'requeue', user, NOW).skip).toBe('pending');
    expect(judgeJob('1', job({ state: 'PENDING', reason: 'JobHeldUser' }), 'requeue', user, NOW).skip).toBe('held');
    expect(judgeJob('1', job({ state: 'COMPLETING' }), 'requeue', user, NOW).skip).toBe('completing');
    expect(judgeJob('1', job({ state: 'COMPLETED', requeueable: false }), 'requeue', user, NOW).skip).toBe('finished-not-requeueable');
    expect(judgeJob('1', job({ state: 'RUNNING', requeueable: false }), 'requeue', user, NOW).skip).toBe('not-requeueable');
    const failed = judgeJob('1', job({ state: 'FAILED', endTime: NOW - 10 }), 'requeue', user, NOW);
    expect(failed).toMatchObject({ willRun: true, runSeconds: 0 });
  });

  it('release: held jobs only; an admin hold needs an Operator', () => {
    const held = job({ state: 'PENDING', reason: 'job requeued in held state', priority: 0, startTime: null });
    expect(judgeJob('1', held, 'release', user, NOW).willRun).toBe(true);
    expect(judgeJob('1', job({ state: 'PENDING', reason: 'Priority' }), 'release', user, NOW).skip).toBe('not-held');
    expect(judgeJob('1', job({}), 'release', user, NOW).skip).toBe('not-held');
    const admin = job({ state: 'PENDING', reason: 'JobHeldAdmin' });
    expect(judgeJob('1', admin, 'release', user, NOW).skip).toBe('admin-hold');
    expect(judgeJob('1', admin, 'release', oper, NOW).willRun).toBe(true);
    expect(judgeJob('1', job({ state: 'COMPLETING', reason: 'job_requeued_in_held_state' }), 'release', user, NOW).skip).toBe('completing');
  });

  it('isHeld reads squeue and scontrol spellings', () => {
    for (const reason of ['JobHeldUser', 'JobHeldAdmin', 'job_requeued_in_held_state', 'job requeued in held state', 'launch_failed_requeued_held', 'JobHoldMaxRequeue']) {
      expect(isHeld({ state: 'PENDING', reason }), reason).toBe(true);
    }
    expect(isHeld({ state: 'PENDING', reason: 'BeginTime' })).toBe(false);
    expect(isHeld({ state: 'RUNNING', reason: 'JobHeldUser' })).toBe(false);
  });
});

describe('previewTotals', () => {
  it('counts GPUs freed and GPU-hours lost only for running jobs that will be requeued; users and accounts affected', () => {
    const jobs = [
      judgeJob('1', job({ jobId: '1', tresAlloc: { ...emptyTres(), gpu: 4 }, startTime: NOW - 5400 }), 'requeue', oper, NOW),
      judgeJob('2', job({ jobId: '2', user: 'alice', account: 'nlp', tresAlloc: { ...emptyTres(), gpu: 2 }, startTime: NOW - 1800 }), 'requeue', oper, NOW),
      judgeJob('3', job({ jobId: '3', state: 'PENDING', reason: 'Priority' }), 'requeue', oper, NOW),
      judgeJob('4', null, 'requeue', oper, NOW),
    ];
    expect(previewTotals(jobs, 'requeue')).toEqual({
      selected: 4, willRun: 2, skipped: 2, bySkip: { pending: 1, vanished: 1 }, gpusFreed: 6, gpuHoursLost: 7, users: ['alice', 'opsuser'], accounts: ['nlp', 'vision'],
    });
    expect(previewTotals(jobs, 'release')).toMatchObject({ gpusFreed: 0, gpuHoursLost: 0 });
  });
});
