import { describe, expect, it } from 'vitest';
import type { PreemptedRun } from '../../../../../shared/api/methods/preemptions';
import { filterRuns } from '../../../../../renderer/src/views/preemptions/run-filter';

const run = (jobId: string, over: Partial<PreemptedRun> = {}): PreemptedRun => ({
  cluster: 'alpha', jobId, jobIdRaw: Number(jobId), name: 'train', user: 'alice', account: 'nlp', partition: 'gpu-low', qos: 'low', state: 'PREEMPTED',
  gpus: 4, gpuTypes: 'a100:4', nodesExpr: 'gpu-a100-01', submitTime: 1, startTime: 2, endTime: 3, lostSeconds: 1, gpuSecondsLost: 4, restarts: null, day: '2026-11-26', preemptor: null,
  ...over,
});

const runs = [run('1107'), run('1106', { state: 'REQUEUED', user: 'opsuser', account: 'vision', partition: 'cpu', nodesExpr: 'cpu-01' }), run('2000', { user: 'bob', qos: 'normal' })];

describe('filterRuns', () => {
  it('keeps everything without a filter (the same array)', () => {
    expect(filterRuns(runs, 'all', '  ')).toBe(runs);
  });
  it('filters by state', () => {
    expect(filterRuns(runs, 'REQUEUED', '').map((r) => r.jobId)).toEqual(['1106']);
    expect(filterRuns(runs, 'PREEMPTED', '').map((r) => r.jobId)).toEqual(['1107', '2000']);
  });
  it('every word must match one of the fields, case-insensitively', () => {
    expect(filterRuns(runs, 'all', 'BOB').map((r) => r.jobId)).toEqual(['2000']);
    expect(filterRuns(runs, 'all', 'nlp normal').map((r) => r.jobId)).toEqual(['2000']);
    expect(filterRuns(runs, 'all', 'gpu-low').map((r) => r.jobId)).toEqual(['1107', '2000']);
    expect(filterRuns(runs, 'all', 'cpu-01').map((r) => r.jobId)).toEqual(['1106']);
    expect(filterRuns(runs, 'PREEMPTED', 'vision')).toEqual([]);
  });
});
