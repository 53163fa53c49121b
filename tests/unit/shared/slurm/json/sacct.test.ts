import { describe, expect, it } from 'vitest';
import { normaliseSacctJson } from '../../../../../shared/slurm/json/sacct';
import { runKey } from '../../../../../shared/model/run';
import { dataParserDoc, slurmrestd, testbed } from './fixtures';

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

describe('normaliseSacctJson on the test bed', () => {
  it('22.05: the exit-code bug costs the exit codes of runs that exited, not the signals', () => {
    const r = normaliseSacctJson(testbed('22.05', 'sacct.json'));
    expect(r.version.family.id).toBe('v0.0.38');
    const run = (id: number, submit: number) => r.items.find((x) => runKey(x) === `${id}@${submit}`);
    // sacct -P: 1000 COMPLETED 0:0, 1001 FAILED 3:0, 1002 TIMEOUT 15:0, 1003 CANCELLED 0:15.
    expect(run(1000, 1795695221)).toMatchObject({ state: 'COMPLETED', exitCode: { code: 0, signal: 0 } });
    expect(run(1001, 1795695221)).toMatchObject({ state: 'FAILED', exitCode: null });
    expect(run(1002, 1795695221)).toMatchObject({ state: 'TIMEOUT', exitCode: null });
    expect(run(1003, 1795695221)).toMatchObject({ state: 'CANCELLED', exitCode: { code: 0, signal: 15 } });
    expect(r.warnings.some((w) => /reports exit code 0 for every job that exited/.test(w))).toBe(true);
    // 22.05 records no restart count in sacct.
    expect(r.items.every((x) => x.restarts === null)).toBe(true);
  });

  it('22.05: preempted runs keep their GPUs and billing; the preempted job has a second run', () => {
    const r = normaliseSacctJson(testbed('22.05', 'sacct.json'));
    const preempted = r.items.filter((x) => x.state === 'PREEMPTED');
    expect(preempted.map((x) => x.jobId)).toEqual(['1082', '1057', '1032', '1005']);
    expect(preempted.every((x) => x.allocTres.gpuByType.a100 === 4 && x.allocTres.billing === 36 && x.qos === 'low')).toBe(true);
    const runs1082 = r.items.filter((x) => x.jobIdRaw === 1082).map((x) => [x.state, x.submitTime, x.nodesExpr]);
    expect(runs1082).toEqual([
      ['PREEMPTED', 1795695529, 'gpu-a100-01'],
      ['PENDING', 1795695530, null],
    ]);
    // Arrays' pending tasks: slurmdbd's hex bitmap 0xC printed as sacct does (1084_[2-3]).
    expect(r.items.find((x) => x.jobIdRaw === 1084)).toMatchObject({ jobId: '1084_[2-3]', state: 'PENDING', arrayJobId: 1084, arrayTaskId: null });
    expect(r.items.find((x) => x.jobIdRaw === 1059 && x.state === 'CANCELLED')).toMatchObject({ jobId: '1059_[2-3]', arrayJobId: 1059, arrayTaskId: null });
    expect(r.items.find((x) => x.jobIdRaw === 1030)).toMatchObject({ state: 'CANCELLED', stateDetail: 'alice' });
  });

  it('24.11: every run with exit code, GPUs, restarts', () => {
    const r = normaliseSacctJson(testbed('24.11', 'sacct.json'));
    expect(r.version.family.id).toBe('v0.0.42');
    expect(r.errors).toEqual([]);
    expect(r.items).toHaveLength(124);
    const runs = (id: number) => r.items.filter((x) => x.jobIdRaw === id).map((x) => [x.state, x.restarts, x.allocTres.gpuByType.h100 ?? 0, x.nodesExpr]);
    expect(runs(111)).toEqual([
      ['PREEMPTED', 0, 4, 'dgx-h100-01'],
      ['PENDING', 1, 0, null],
    ]);
    expect(runs(110)).toEqual([
      ['REQUEUED', 0, 0, 'cpu-01'],
      ['RUNNING', 1, 0, 'cpu-01'],
    ]);
    expect(r.items.find((x) => x.jobIdRaw === 105)).toMatchObject({ state: 'FAILED', exitCode: { code: 3, signal: 0 } });
    expect(r.items.find((x) => x.jobIdRaw === 84)).toMatchObject({ state: 'TIMEOUT', exitCode: { code: 0, signal: 0 }, elapsed: 62, timeLimit: 60 });
    expect(r.items.find((x) => x.jobIdRaw === 89)).toMatchObject({ state: 'CANCELLED', stateDetail: 'opsuser' });
    // GPU-seconds of the preempted runs (what preemption cost): 4 GPUs for 1 s each, twice.
    const lost = r.items.filter((x) => x.state === 'PREEMPTED' && (x.submitTime ?? 0) >= 1795695528).reduce((a, x) => a + x.allocTres.gpu * x.elapsed, 0);
    expect(lost).toBe(8);
  });
});
