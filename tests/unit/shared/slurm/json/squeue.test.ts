import { describe, expect, it } from 'vitest';
import { SlurmJsonError } from '../../../../../shared/slurm/json/errors';
import { normaliseScontrolJobJson, normaliseSqueueJson } from '../../../../../shared/slurm/json/squeue';
import { dataParserDoc, openapi38Doc, slurmrestd, testbed } from './fixtures';

describe('normaliseSqueueJson on real slurmrestd output', () => {
  it('v0.0.41 (24.05): a running job with a typed per-node GPU request', () => {
    const r = normaliseSqueueJson(slurmrestd('24.05', '0.0.41', 'slurm-job-gpus-multi-types.json'));
    expect(r.version.family.id).toBe('v0.0.41');
    expect(r.errors).toEqual([]);
    expect(r.items).toEqual([
      {
        jobId: '4',
        jobIdRaw: 4,
        arrayJobId: null,
        arrayTaskId: null,
        arrayTaskRange: null,
        name: 'wrap',
        user: 'vhartman',
        account: 'biology',
        partition: 'gpu',
        qos: 'normal',
        state: 'RUNNING',
        reason: null,
        priority: 818,
        tresReq: { cpu: 1, memMiB: 512, node: 1, billing: 1, gpu: 0, gpuByType: {}, other: {} },
        tresAlloc: { cpu: 1, memMiB: 512, node: 1, billing: 1, gpu: 0, gpuByType: {}, other: {} },
        gpusPerNode: 1,
        gpuType: 'h100',
        nodesExpr: 'gpu1',
        nodes: ['gpu1'],
        numNodes: 1,
        numCpus: 1,
        submitTime: 1762529638,
        startTime: 1762529638,
        endTime: 1762529698,
        timeLimit: 60,
        restarts: 0,
        batch: true,
        requeueable: true,
        dependency: null,
      },
    ]);
  });

  it('v0.0.42 (24.11): GPUs per node over two nodes, several GPU types, per-job typed requests', () => {
    const perNode = normaliseSqueueJson(slurmrestd('24.11', '0.0.42', 'slurm-job-gpus-per-node.json')).items[0];
    expect(perNode).toMatchObject({ jobId: '6377', gpusPerNode: 1, gpuType: null, nodesExpr: 'ia[1-2]', nodes: ['ia1', 'ia2'], numNodes: 2, numCpus: 2 });
    expect(perNode?.tresReq.memMiB).toBe(1024);
    // gres/gpu:h100:1,gres/gpu:h200:1 per node: two GPUs, no single type.
    expect(normaliseSqueueJson(slurmrestd('24.11', '0.0.42', 'slurm-job-gpus-multi-types.json')).items[0]).toMatchObject({ gpusPerNode: 2, gpuType: null });
    // --gpus=h100:1 is a per-job request: no per-node count, but the type is known.
    expect(normaliseSqueueJson(slurmrestd('24.11', '0.0.42', 'slurm-job-gpus-type.json')).items[0]).toMatchObject({ gpusPerNode: null, gpuType: 'h100' });
  });

  it("v0.0.42 (24.11): a whole queue, squeue's default states unless all are asked for", () => {
    const text = slurmrestd('24.11', '0.0.42', 'slurm-jobs.json');
    const active = normaliseSqueueJson(text);
    // 16 records: 7 finished (CANCELLED, TIMEOUT, COMPLETED, FAILED) that squeue's text would not show.
    expect(active.items.map((j) => `${j.jobId}:${j.state}`)).toEqual([
      '6360:RUNNING', '6363:RUNNING', '6364:RUNNING', '6365:RUNNING', '6366:RUNNING', '6367:RUNNING', '6368:RUNNING', '6369:PENDING', '6370:PENDING',
    ]);
    const all = normaliseSqueueJson(text, { allStates: true });
    expect(all.items).toHaveLength(16);
    expect(all.items.find((j) => j.jobId === '6357')).toMatchObject({ state: 'TIMEOUT', reason: 'TimeLimit' });
    expect(all.items.find((j) => j.jobId === '6365')).toMatchObject({ nodes: ['cn1', 'cn2', 'cn3'], numCpus: 128 });
    const pending = all.items.find((j) => j.jobId === '6369');
    expect(pending).toMatchObject({ state: 'PENDING', reason: 'Resources', tresAlloc: null, nodesExpr: null, nodes: [], startTime: null, endTime: null });
    expect(pending?.tresReq.cpu).toBe(64);
    // scontrol show job --json has the same records and keeps all of them.
    expect(normaliseScontrolJobJson(text).items).toHaveLength(16);
  });

  it('v0.0.44 (25.11): a pending per-job GPU request, with the fields 25.11 added ignored', () => {
    const r = normaliseSqueueJson(slurmrestd('25.11', '0.0.44', 'slurm-job-gpus-pending.json'));
    expect(r.version).toMatchObject({ family: { id: 'v0.0.44' }, match: 'exact', slurmRelease: '25.11.0' });
    expect(r.errors).toEqual([]);
    expect(r.items[0]).toMatchObject({
      jobId: '4965',
      state: 'PENDING',
      reason: 'BeginTime',
      user: 'jwilson',
      account: 'admin',
      priority: 909,
      gpusPerNode: null,
      gpuType: null,
      tresAlloc: null,
      submitTime: 1762783691,
      startTime: null,
      timeLimit: 60,
    });
  });
});

describe('normaliseSqueueJson on 22.05 (openapi v0.0.38) records', () => {
  const job = {
    account: 'vision',
    array_job_id: 1055,
    array_task_id: null,
    array_task_string: '2-3',
    het_job_id: 0,
    het_job_offset: 0,
    job_id: 1055,
    job_state: 'PENDING',
    name: 'hparam-sweep',
    nodes: '',
    node_count: 1,
    cpus: 2,
    partition: 'gpu',
    priority: 9007,
    qos: 'normal',
    requeue: true,
    batch_flag: true,
    restart_cnt: 0,
    state_reason: 'AssocGrpGRES',
    submit_time: 1795694132,
    start_time: 1795708532,
    end_time: 1795722932,
    time_limit: 240,
    tres_per_node: 'gres:gpu:v100:1',
    tres_req_str: 'cpu=2,mem=2000M,node=1,billing=18,gres/gpu=1,gres/gpu:v100=1',
    tres_alloc_str: '',
    user_name: 'bob',
    dependency: '',
  };

  it('reads plain numbers, string states and the 22.05 request form gres:gpu:<type>:<n>', () => {
    const r = normaliseSqueueJson(openapi38Doc({ jobs: [job] }));
    expect(r.version.family.id).toBe('v0.0.38');
    expect(r.items[0]).toMatchObject({
      jobId: '1055_[2-3]',
      arrayJobId: 1055,
      arrayTaskId: null,
      arrayTaskRange: '2-3',
      reason: 'AssocGrpGRES',
      gpusPerNode: 1,
      gpuType: 'v100',
      startTime: null,
      timeLimit: 14400,
    });
    expect(r.items[0]?.tresReq).toMatchObject({ gpu: 1, gpuByType: { v100: 1 }, billing: 18, memMiB: 2000 });
  });

  it('drops finished jobs 22.05 lists (squeue text does not), keeps them when asked', () => {
    const finished = { ...job, job_id: 1001, array_job_id: 0, array_task_string: '', job_state: 'FAILED', state_reason: 'NonZeroExitCode', exit_code: 768 };
    expect(normaliseSqueueJson(openapi38Doc({ jobs: [finished] })).items).toEqual([]);
    expect(normaliseSqueueJson(openapi38Doc({ jobs: [finished] }), { allStates: true }).items[0]).toMatchObject({ jobId: '1001', state: 'FAILED' });
  });
});

describe('normaliseSqueueJson on bad input', () => {
  it('rejects a bad record with its path and keeps the others', () => {
    const good = JSON.parse(slurmrestd('24.11', '0.0.42', 'slurm-job-gpus-type.json')).jobs[0];
    const r = normaliseSqueueJson(dataParserDoc('v0.0.42', { jobs: [{ ...good, job_id: 'x' }, good, { ...good, submit_time: { set: false, infinite: false, number: 0 } }, { ...good, nodes: 'n[1-' }] }));
    expect(r.items.map((j) => j.jobId)).toEqual(['6375']);
    expect(r.errors.map((e) => [e.problem, e.path])).toEqual([
      ['record', 'jobs[0].job_id'],
      ['record', 'jobs[2].submit_time'],
      ['record', 'jobs[3].nodes'],
    ]);
    expect(r.errors[2]).toBeInstanceOf(SlurmJsonError);
    expect(r.errors[2]?.message).toMatch(/hostlist/);
  });

  it("throws Slurm's message for a job it does not know", () => {
    expect(() => normaliseSqueueJson(slurmrestd('24.05', '0.0.41', 'slurm-job-archived.json'))).toThrow(/Unable to query JobId=649716/);
  });
});

describe('normaliseSqueueJson on the test bed', () => {
  it('22.05: the queue after the scenario (preempted job back in the queue, arrays, GPUs per type)', () => {
    const r = normaliseSqueueJson(testbed('22.05', 'squeue.json'));
    expect(r.version).toMatchObject({ family: { id: 'v0.0.38' }, slurmRelease: '22.05.8' });
    expect(r.items).toHaveLength(21);
    // The preempted low-QOS job waits again; slurmctld's own description is squeue's reason.
    expect(r.items.find((j) => j.jobId === '1082')).toMatchObject({
      state: 'PENDING',
      user: 'alice',
      partition: 'gpu-low',
      qos: 'low',
      restarts: 1,
      gpusPerNode: 4,
      gpuType: 'a100',
      reason: 'Nodes required for job are DOWN, DRAINED or reserved for jobs in higher priority partitions',
    });
    expect(r.items.find((j) => j.jobId === '1090')).toMatchObject({ state: 'RUNNING', qos: 'high', nodes: ['gpu-a100-01'], tresAlloc: { gpu: 4, gpuByType: { a100: 4 } } });
    // Array tasks: their own job id, the array's id and the task id; the pending rest in one record.
    expect(r.items.find((j) => j.jobId === '1084_0')).toMatchObject({ jobIdRaw: 1086, arrayJobId: 1084, arrayTaskId: 0, nodes: ['gpu-v100-01'] });
    expect(r.items.find((j) => j.jobId === '1084_[2-3]')).toMatchObject({ jobIdRaw: 1084, arrayTaskRange: '2-3', reason: 'AssocGrpGRES' });
    expect(r.items.find((j) => j.jobId === '1098')?.dependency).toBe('afterok:1082(unfulfilled)');
    // GPUs held by running jobs, per type: a100 2 + 4, v100 four one-GPU array tasks.
    const held: Record<string, number> = {};
    for (const j of r.items) for (const [t, n] of Object.entries(j.tresAlloc?.gpuByType ?? {})) held[t] = (held[t] ?? 0) + n;
    expect(held).toEqual({ a100: 6, v100: 4 });
  });

  it('24.11: the queue after the scenario', () => {
    const r = normaliseSqueueJson(testbed('24.11', 'squeue.json'));
    expect(r.version).toMatchObject({ family: { id: 'v0.0.42' }, slurmRelease: '24.11.5' });
    expect(r.items).toHaveLength(17);
    expect(r.items.find((j) => j.jobId === '107_[3-6%2]')).toMatchObject({ arrayJobId: 107, arrayTaskId: null, arrayTaskRange: '3-6%2', reason: 'JobArrayTaskLimit' });
    expect(r.items.filter((j) => j.restarts === 1 && j.state === 'PENDING').map((j) => j.jobId)).toEqual(['111', '112']);
    expect(r.items.find((j) => j.jobId === '116')).toMatchObject({ qos: 'high', partition: 'prod', gpusPerNode: 4, gpuType: 'h100', nodes: ['dgx-h100-01'] });
    const running = r.items.filter((j) => j.state === 'RUNNING');
    expect(running.reduce((a, j) => a + (j.tresAlloc?.gpuByType.h100 ?? 0), 0)).toBe(12);
  });

  it('24.11: scontrol show job --json for one running GPU job', () => {
    const r = normaliseScontrolJobJson(testbed('24.11', 'scontrol-job.json'));
    expect(r.items).toHaveLength(1);
    expect(r.items[0]).toMatchObject({ jobId: '113', user: 'bob', partition: 'preemptible', gpusPerNode: 4, gpuType: 'h100', nodes: ['dgx-h100-03'], timeLimit: 3600 });
  });
});
