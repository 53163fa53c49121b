import { describe, expect, it } from 'vitest';
import { normaliseSacctJson } from '../../../../../shared/slurm/json/sacct';
import { dataParserDoc, slurmrestd } from './fixtures';

describe('normaliseSacctJson on real slurmrestd output', () => {
  it('v0.0.42 (24.11): a failed run with its exit code, restarts and allocation', () => {
    const r = normaliseSacctJson(slurmrestd('24.11', '0.0.42', 'slurmdb-job-failed.json'));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.items).toEqual([
      {
        jobId: '6359',
        jobIdRaw: 6359,
        arrayJobId: null,
        arrayTaskId: null,
        name: 'wrap',
        user: 'jbeck',
        account: 'biology',
        partition: 'standard',
        qos: 'normal',
        state: 'FAILED',
        stateDetail: null,
        exitCode: { code: 1, signal: 0 },
        submitTime: 1762788769,
        eligibleTime: 1762788769,
        startTime: 1762788770,
        endTime: 1762788771,
        elapsed: 1,
        timeLimit: 60,
        allocTres: { cpu: 1, memMiB: 512, node: 1, billing: 1, gpu: 0, gpuByType: {}, other: {} },
        reqTres: { cpu: 1, memMiB: 512, node: 1, billing: 1, gpu: 0, gpuByType: {}, other: {} },
        nodesExpr: 'cn1',
        nodes: ['cn1'],
        restarts: 0,
      },
    ]);
  });

  it('v0.0.41 (24.05) has no restart_cnt in sacct: restarts unknown, not 0', () => {
    const run = normaliseSacctJson(slurmrestd('24.05', '0.0.41', 'slurmdb-job-failed.json')).items[0];
    expect(run).toMatchObject({ jobId: '649719', state: 'FAILED', exitCode: { code: 1, signal: 0 }, restarts: null, nodes: ['cn001'] });
  });

  it('a TIMEOUT job line says 0:0 on 24.11+ (the signal is on the batch step)', () => {
    expect(normaliseSacctJson(slurmrestd('24.11', '0.0.42', 'slurmdb-job-timeout.json')).items[0]).toMatchObject({
      state: 'TIMEOUT',
      exitCode: { code: 0, signal: 0 },
      elapsed: 65,
      timeLimit: 60,
    });
  });

  it('v0.0.43 and v0.0.44: a running run has no end time yet', () => {
    for (const [release, parser, jobId] of [
      ['25.05', '0.0.43', '4752'],
      ['25.11', '0.0.44', '4716'],
    ] as const) {
      const r = normaliseSacctJson(slurmrestd(release, parser, 'slurmdb-job-gpus-multi-types.json'));
      expect(r.version.family.id).toBe(`v${parser}`);
      expect(r.items[0]).toMatchObject({ jobId, state: 'RUNNING', endTime: null, exitCode: { code: 0, signal: 0 }, restarts: 0 });
      // The energy TRES of -2 (NO_VAL64 printed signed) is left out, as sacct's AllocTRES text does.
      expect(r.items[0]?.allocTres.other).toEqual({});
    }
  });
});

describe('normaliseSacctJson edge cases', () => {
  const base = {
    job_id: 29,
    name: 'requeue-me',
    user: 'alice',
    account: 'nlp',
    partition: 'cpu',
    qos: 'normal',
    nodes: 'None assigned',
    array: { job_id: 0, task_id: { set: false, infinite: false, number: 0 }, task: '' },
    het: { job_id: 0, job_offset: { set: false, infinite: false, number: 0 } },
    state: { current: ['CANCELLED'], reason: 'None' },
    exit_code: { status: ['SUCCESS'], return_code: { set: true, infinite: false, number: 0 }, signal: { id: { set: false, infinite: false, number: 0 }, name: '' } },
    kill_request_user: '',
    restart_cnt: 1,
    time: { elapsed: 0, eligible: 1795694091, end: 1795694096, start: 4294967294, submission: 1795694091, limit: { set: true, infinite: false, number: 60 } },
    tres: { allocated: [{ type: 'billing', name: '', id: 5, count: 1 }], requested: [] },
  };

  it('reads a run cancelled before it started (start NO_VAL, no nodes), as sacct prints it', () => {
    // Real record shape from the 24.11 test bed; sacct -P: 29|CANCELLED|0:0|…|None|…|billing=1|None assigned|1
    const run = normaliseSacctJson(dataParserDoc('v0.0.42', { jobs: [base] })).items[0];
    expect(run).toMatchObject({ startTime: null, endTime: 1795694096, nodesExpr: null, nodes: [], restarts: 1, exitCode: { code: 0, signal: 0 } });
    expect(run?.allocTres.billing).toBe(1);
    expect(run?.reqTres).toEqual({ cpu: 0, memMiB: 0, node: 0, billing: 0, gpu: 0, gpuByType: {}, other: {} });
  });

  it('names who cancelled, and takes 128 off exit statuses as sacct does', () => {
    const r = normaliseSacctJson(
      dataParserDoc('v0.0.42', {
        jobs: [
          { ...base, kill_request_user: 'alice' },
          { ...base, job_id: 43, state: { current: ['TIMEOUT'], reason: 'None' }, exit_code: { status: ['ERROR'], return_code: { set: true, infinite: false, number: 143 } } },
        ],
      }),
    );
    expect(r.items[0]).toMatchObject({ state: 'CANCELLED', stateDetail: 'alice' });
    expect(r.items[1]).toMatchObject({ state: 'TIMEOUT', exitCode: { code: 15, signal: 0 } });
  });

  it('prints array task and pending array ids as sacct does', () => {
    const r = normaliseSacctJson(
      dataParserDoc('v0.0.42', {
        jobs: [
          { ...base, job_id: 53, array: { job_id: 46, task_id: { set: true, infinite: false, number: 1 }, task: '' } },
          { ...base, job_id: 46, array: { job_id: 46, task_id: { set: false, infinite: false, number: 0 }, task: '3-6%2' } },
        ],
      }),
    );
    expect(r.items.map((x) => [x.jobId, x.jobIdRaw, x.arrayJobId, x.arrayTaskId])).toEqual([
      ['46_1', 53, 46, 1],
      ['46_[3-6%2]', 46, 46, null],
    ]);
  });
});
