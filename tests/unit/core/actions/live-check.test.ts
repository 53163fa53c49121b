import { describe, expect, it } from 'vitest';
import { matchRequested } from '../../../../electron/core/actions/live-check';
import { idsFromFilter, matchesFilter } from '../../../../electron/core/actions/filter-selection';
import type { QueuedJob } from '../../../../shared/model/job';
import { emptyTres } from '../../../../shared/model/tres';

function job(over: Partial<QueuedJob>): QueuedJob {
  return {
    jobId: '100', jobIdRaw: 100, arrayJobId: null, arrayTaskId: null, arrayTaskRange: null, name: 'x', user: 'opsuser', account: 'vision', partition: 'cpu',
    qos: 'normal', state: 'RUNNING', reason: null, priority: 1, tresReq: emptyTres(), tresAlloc: null, gpusPerNode: null, gpuType: null, nodesExpr: 'cpu-01',
    nodes: ['cpu-01'], numNodes: 1, numCpus: 1, submitTime: 1000, startTime: 2000, endTime: null, timeLimit: 600, restarts: 0, batch: true, requeueable: true,
    dependency: null, ...over,
  };
}

const array = [
  job({ jobId: '7_1', jobIdRaw: 8, arrayJobId: 7, arrayTaskId: 1 }),
  job({ jobId: '7_2', jobIdRaw: 9, arrayJobId: 7, arrayTaskId: 2 }),
  job({ jobId: '7_[3-6%2]', jobIdRaw: 7, arrayJobId: 7, arrayTaskId: null, arrayTaskRange: '3-6%2', state: 'PENDING' }),
];

describe('matchRequested', () => {
  it('a plain job by its id', () => {
    expect(matchRequested('100', [job({})]).map((j) => j.jobId)).toEqual(['100']);
    expect(matchRequested('101', [job({})])).toEqual([]);
  });

  it('an array parent id stands for all its records; a task id for its own record', () => {
    expect(matchRequested('7', array).map((j) => j.jobId)).toEqual(['7_1', '7_2', '7_[3-6%2]']);
    expect(matchRequested('7_2', array).map((j) => j.jobId)).toEqual(['7_2']);
    expect(matchRequested('9', array).map((j) => j.jobId)).toEqual(['7_2']);
  });

  it('a task still inside its pending array record is that record under the task id', () => {
    expect(matchRequested('7_5', array)).toEqual([expect.objectContaining({ jobId: '7_5', state: 'PENDING', arrayTaskId: 5, arrayTaskRange: null })]);
    expect(matchRequested('7_9', array)).toEqual([]);
  });
});

describe('filter selection', () => {
  it('ANDs fields, ORs values, ignores case; ranges of submit/start times; node names', () => {
    const j = job({ state: 'RUNNING', user: 'alice', nodes: ['cpu-01', 'cpu-02'] });
    expect(matchesFilter(j, { states: ['running'], users: ['ALICE', 'bob'] })).toBe(true);
    expect(matchesFilter(j, { states: ['pending'], users: ['alice'] })).toBe(false);
    expect(matchesFilter(j, { nodes: ['cpu-02'] })).toBe(true);
    expect(matchesFilter(j, { startedFrom: 2001 })).toBe(false);
    expect(matchesFilter(job({ startTime: null }), { startedTo: 5000 })).toBe(false);
    expect(matchesFilter(j, { submittedFrom: 1000, submittedTo: 1000 })).toBe(true);
  });

  it('expands pending array records into task ids', () => {
    expect(idsFromFilter([job({}), ...array], { users: ['opsuser'] })).toEqual(['100', '7_1', '7_2', '7_3', '7_4', '7_5', '7_6']);
  });
});
