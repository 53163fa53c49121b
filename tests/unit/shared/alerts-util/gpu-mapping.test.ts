import { describe, expect, it } from 'vitest';
import {
  allocationsFromDetails,
  allocationsFromQueue,
  mapSamplesToJobs,
  nodeSamples,
  shortHost,
  stepSamples,
  type AttributedSample,
  type JobGpuAllocation,
} from '../../../../shared/alerts/util/gpu-mapping';
import type { NvidiaSmiGpu } from '../../../../shared/alerts/util/nvidia-smi';
import { emptyTres } from '../../../../shared/model/tres';
import type { QueuedJob } from '../../../../shared/model/job';
import { parseScontrolJobs } from '../../../../shared/slurm/parse/scontrol-job';
import { slurmFixture } from './fixtures';

const gpu = (index: number, busId: string, utilPct: number | null): NvidiaSmiGpu => ({ index, uuid: `GPU-${index}`, busId, utilPct, memUsedMiB: 10, memTotalMiB: 81559 });
const sample = (node: string, gpuIndex: number | null, utilPct: number, jobId?: string): AttributedSample => ({ node, gpuIndex, utilPct, memUsedMiB: null, memTotalMiB: null, ...(jobId ? { jobId } : {}) });

describe('allocationsFromDetails (scontrol show job -d -o of the test bed)', () => {
  it('22.05: running GPU jobs with their node and IDX, array tasks by their printed id', () => {
    const { items, errors } = parseScontrolJobs(slurmFixture('22.05', 'scontrol-job.txt'));
    expect(errors).toEqual([]);
    const alloc = allocationsFromDetails(items);
    const byId = new Map(alloc.map((a) => [a.jobId, a]));
    expect(byId.get('1090')).toEqual({ jobId: '1090', jobIdRaw: 1090, user: 'opsuser', nodes: [{ node: 'gpu-a100-01', indices: [0, 1, 2, 3], count: 4 }] });
    expect(byId.get('1083')?.nodes).toEqual([{ node: 'gpu-a100-02', indices: [0, 1], count: 2 }]);
    // Two array tasks of bob share gpu-v100-01, one GPU each.
    const v100 = alloc.filter((a) => a.nodes[0]?.node === 'gpu-v100-01').map((a) => [a.user, a.nodes[0]?.indices]);
    expect(v100).toEqual(expect.arrayContaining([['bob', [0]], ['bob', [1]]]));
    // CPU jobs and pending jobs hold no GPU.
    expect(alloc.every((a) => a.nodes.every((n) => n.count > 0))).toBe(true);
  });

  it('24.11: h100 jobs with IDX 0-3', () => {
    const alloc = allocationsFromDetails(parseScontrolJobs(slurmFixture('24.11', 'scontrol-job.txt')).items);
    expect(alloc.map((a) => [a.jobId, a.user, a.nodes])).toEqual(
      expect.arrayContaining([['116', 'opsuser', [{ node: 'dgx-h100-01', indices: [0, 1, 2, 3], count: 4 }]]]),
    );
  });
});

describe('stepSamples: what nvidia-smi printed inside a job step', () => {
  it('device cgroup (ConstrainDevices): renumbered from 0, matched in bus order to SLURM_STEP_GPUS', () => {
    // The job holds GPUs 2 and 5 of the node; inside the cgroup nvidia-smi shows them as 0 and 1.
    const r = stepSamples('77', 'n1', [gpu(1, '00000000:B1:00.0', 90), gpu(0, '00000000:3B:00.0', 3)], [5, 2], 2);
    expect(r.warnings).toEqual([]);
    expect(r.samples.map((s) => [s.gpuIndex, s.utilPct, s.jobId])).toEqual([
      [2, 3, '77'],
      [5, 90, '77'],
    ]);
  });

  it('no device constraint: the whole node is visible, the job has those of its indices', () => {
    const node = [0, 1, 2, 3].map((i) => gpu(i, `00000000:${18 + i}:00.0`, i * 10));
    const r = stepSamples('78', 'n1', node, [1, 3], 2);
    expect(r.samples.map((s) => [s.gpuIndex, s.utilPct])).toEqual([
      [1, 10],
      [3, 30],
    ]);
  });

  it('fewer visible than allocated: what matches counts, the rest is named', () => {
    const r = stepSamples('79', 'n1', [gpu(0, 'a', 50)], [0, 1, 2], 3);
    expect(r.samples.map((s) => s.gpuIndex)).toEqual([0]);
    expect(r.warnings).toEqual(['job 79 on n1: no nvidia-smi line for GPU 1,2 of the job (1 visible)']);
  });

  it('[N/A] utilization: not a sample, but said', () => {
    const r = stepSamples('80', 'n1', [gpu(0, 'a', null), gpu(1, 'b', 20)], [0, 1], 2);
    expect(r.samples.map((s) => s.gpuIndex)).toEqual([1]);
    expect(r.warnings[0]).toMatch(/GPU 0 reported no utilization/);
  });

  it('without SLURM_STEP_GPUS: taken only when the count matches', () => {
    expect(stepSamples('81', 'n1', [gpu(0, 'a', 1), gpu(1, 'b', 2)], null, 2).samples).toHaveLength(2);
    const r = stepSamples('81', 'n1', [gpu(0, 'a', 1), gpu(1, 'b', 2)], null, 1);
    expect(r.samples).toEqual([]);
    expect(r.warnings[0]).toMatch(/did not say which GPUs/);
  });
});

describe('mapSamplesToJobs', () => {
  const allocations: JobGpuAllocation[] = [
    { jobId: '100', jobIdRaw: 100, user: 'a', nodes: [{ node: 'gpu01', indices: [0, 1], count: 2 }, { node: 'gpu02', indices: [0, 1], count: 2 }] },
    { jobId: '200_3', jobIdRaw: 205, user: 'b', nodes: [{ node: 'gpu01', indices: [2, 3], count: 2 }] },
    { jobId: '300', jobIdRaw: 300, user: 'c', nodes: [{ node: 'gpu03', indices: [0], count: 1 }] },
  ];

  it('by node + Slurm index: mean, busiest, per GPU; free GPUs are dropped quietly', () => {
    const samples = [
      sample('gpu01', 0, 0), sample('gpu01', 1, 10), sample('gpu02', 0, 4), sample('gpu02', 1, 2),
      sample('gpu01', 2, 100), sample('gpu01', 3, 80),
      sample('gpu02', 2, 0), // no job holds it
    ];
    const r = mapSamplesToJobs(samples, allocations);
    expect(r.jobs).toEqual([
      { jobId: '100', gpusMeasured: 4, meanPct: 4, maxPct: 10, perGpu: [
        { node: 'gpu01', gpuIndex: 0, utilPct: 0 }, { node: 'gpu01', gpuIndex: 1, utilPct: 10 }, { node: 'gpu02', gpuIndex: 0, utilPct: 4 }, { node: 'gpu02', gpuIndex: 1, utilPct: 2 },
      ] },
      { jobId: '200_3', gpusMeasured: 2, meanPct: 90, maxPct: 100, perGpu: [{ node: 'gpu01', gpuIndex: 2, utilPct: 100 }, { node: 'gpu01', gpuIndex: 3, utilPct: 80 }] },
    ]);
    expect(r.warnings).toEqual(['no GPU sample for 1 running GPU job: 300']);
  });

  it('fully qualified host names (DCGM Hostname) match Slurm short names', () => {
    const r = mapSamplesToJobs([sample('gpu03.cluster.example.org', 0, 7)], allocations);
    expect(r.jobs.map((j) => [j.jobId, j.perGpu])).toEqual([['300', [{ node: 'gpu03', gpuIndex: 0, utilPct: 7 }]]]);
    expect(shortHost('gpu03.cluster.example.org')).toBe('gpu03');
    expect(shortHost('10.1.2.3')).toBe('10.1.2.3');
  });

  it('a sample naming its job goes to it (by printed id or raw id); one of an ended job is ignored and said', () => {
    const r = mapSamplesToJobs([sample('gpu01', 2, 5, '205'), sample('gpu01', 3, 7, '200_3'), sample('gpu09', 0, 50, '999')], allocations);
    expect(r.jobs.map((j) => [j.jobId, j.gpusMeasured, j.meanPct])).toEqual([['200_3', 2, 6]]);
    expect(r.warnings).toContain('samples for job 999 that does not run any more were ignored');
  });

  it('indices unknown (squeue only): a node with one job gets its samples, a shared node is ambiguous', () => {
    const jobs = [
      { ...baseJob, jobId: '1', jobIdRaw: 1, nodes: ['n1'], gpusPerNode: 2, tresAlloc: { ...emptyTres(), gpu: 2 } },
      { ...baseJob, jobId: '2', jobIdRaw: 2, nodes: ['n2'], gpusPerNode: 1, tresAlloc: { ...emptyTres(), gpu: 1 } },
      { ...baseJob, jobId: '3', jobIdRaw: 3, nodes: ['n2'], gpusPerNode: 1, tresAlloc: { ...emptyTres(), gpu: 1 } },
    ];
    const alloc = allocationsFromQueue(jobs);
    expect(alloc[0]).toEqual({ jobId: '1', jobIdRaw: 1, user: 'u', nodes: [{ node: 'n1', indices: null, count: 2 }] });
    const r = mapSamplesToJobs([sample('n1', 0, 1), sample('n1', 1, 3), sample('n2', 0, 9), sample('n2', 1, 9)], alloc);
    expect(r.jobs.map((j) => [j.jobId, j.meanPct])).toEqual([['1', 2]]);
    expect(r.warnings[0]).toMatch(/^2 GPU samples on nodes shared by several jobs/);
  });

  it('indices unknown and more GPUs on the node than the job holds: not guessed', () => {
    const alloc = allocationsFromQueue([{ ...baseJob, jobId: '1', jobIdRaw: 1, nodes: ['n1'], gpusPerNode: 1, tresAlloc: { ...emptyTres(), gpu: 1 } }]);
    const r = mapSamplesToJobs([sample('n1', 0, 1), sample('n1', 1, 99)], alloc);
    expect(r.jobs).toEqual([]);
  });

  it('nodeSamples keeps nvidia-smi indices and names GPUs without a value', () => {
    const r = nodeSamples('n1', [gpu(0, 'a', 12), gpu(1, 'b', null)]);
    expect(r.samples).toEqual([{ node: 'n1', gpuIndex: 0, utilPct: 12, memUsedMiB: 10, memTotalMiB: 81559 }]);
    expect(r.warnings).toEqual(['n1: GPU 1 reported no utilization ([N/A] / [Not Supported])']);
  });
});

const baseJob: QueuedJob = {
  jobId: '0', jobIdRaw: 0, arrayJobId: null, arrayTaskId: null, arrayTaskRange: null, name: 'j', user: 'u', account: 'a', partition: 'gpu', qos: 'normal',
  state: 'RUNNING', reason: null, priority: 1, tresReq: emptyTres(), tresAlloc: null, gpusPerNode: null, gpuType: null, nodesExpr: null, nodes: [], numNodes: 1,
  numCpus: 1, submitTime: 0, startTime: 0, endTime: null, timeLimit: null, restarts: 0, batch: true, requeueable: false, dependency: null,
};
