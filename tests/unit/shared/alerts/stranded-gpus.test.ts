import { describe, expect, it } from 'vitest';
import { strandedFindings, type WaitingJob } from '../../../../shared/alerts/rules/stranded-gpus';
import type { AlertSettings, Finding } from '../../../../shared/alerts/types';
import type { SlurmNode } from '../../../../shared/model/node';
import { gpus, input, MIN, node, partition, pendingJob, runningJob, settings, tres } from './builders';

/** Three nodes with 4 a100 each, 3 in use: 3 GPUs free, one per node. */
const spread = (over: Partial<SlurmNode> = {}) => ['gpu-01', 'gpu-02', 'gpu-03'].map((n) => node(n, { state: 'MIXED', gpus: gpus(['a100', 4, 3]), cpus: { total: 64, allocated: 48 }, ...over }));

function only(findings: Finding[]): Finding {
  expect(findings).toHaveLength(1);
  return findings[0] as Finding;
}

const jobsOf = (f: Finding) => f.detail.jobs as WaitingJob[];

describe('strandedFindings: causes', () => {
  it('fragmentation: 3 × 1 free GPU while a job asks 2 on one node — names the job', () => {
    const jobs = [pendingJob(101, 2, { gpusPerNode: 2, user: 'bob' }), runningJob(90, 3)];
    const f = only(strandedFindings(input({ nodes: spread(), jobs }), settings()));
    expect(f.rule).toBe('stranded-gpus');
    expect(f.subject).toBe('partition:gpu');
    expect(f.severity).toBe('warning');
    expect(f.title).toBe('3 GPUs free in gpu while 1 GPU job waits');
    expect(f.body).toBe(
      '3 GPUs free on 3 nodes (gpu-01: 1, gpu-02: 1, gpu-03: 1); could have used them: 101 (bob, 2 GPUs). ' +
        "Why: fragmentation: the free GPUs are spread so no waiting job's per-node request fits (largest free block 1 GPU on one node).",
    );
    expect(f.detail).toMatchObject({ gpus: 3, partitionGpus: 12, cause: 'fragmentation', fragmentation: true, largestBlock: 1, waiting: 1 });
    expect(f.detail.nodes).toEqual([
      { node: 'gpu-01', free: 1, cpus: 16, memMiB: 512_000 },
      { node: 'gpu-02', free: 1, cpus: 16, memMiB: 512_000 },
      { node: 'gpu-03', free: 1, cpus: 16, memMiB: 512_000 },
    ]);
    expect(jobsOf(f).map((j) => [j.jobId, j.verdict, j.gpus, j.gpusPerNode])).toEqual([['101', 'gpus-per-node', 2, 2]]);
    expect(f.links).toEqual({ nodes: ['gpu-01', 'gpu-02', 'gpu-03'], jobs: ['101'], partition: 'gpu' });
    expect(f.holdSeconds).toBe(10 * MIN);
    expect(f.since).toBeNull();
  });

  it('cpu-or-memory: enough GPUs free per node but every CPU allocated', () => {
    const nodes = ['gpu-01', 'gpu-02'].map((n) => node(n, { state: 'ALLOCATED', gpus: gpus(['a100', 4, 2]), cpus: { total: 64, allocated: 64 } }));
    const f = only(strandedFindings(input({ nodes, jobs: [pendingJob(101, 2)] }), settings()));
    expect(f.detail.cause).toBe('cpu-or-memory');
    expect(f.detail.fragmentation).toBe(false);
    expect(f.detail.gpus).toBe(4);
    expect(jobsOf(f)[0]?.verdict).toBe('cpu-or-memory');
    expect(f.body).toContain('Why: the nodes with free GPUs have too few free CPUs or too little memory for the waiting jobs.');
    expect(f.links.jobs).toEqual(['101']);
  });

  it('cpu-or-memory: memory all taken', () => {
    const nodes = [node('gpu-01', { gpus: gpus(['a100', 4, 2]), memoryMiB: { total: 512_000, allocated: 500_000 } })];
    const f = only(strandedFindings(input({ nodes, jobs: [pendingJob(101, 2)] }), settings()));
    expect(f.detail.cause).toBe('cpu-or-memory');
  });

  it('fits: a waiting job fits now — the scheduler holds it back', () => {
    const nodes = [node('gpu-01', { gpus: gpus(['a100', 4, 2]) })];
    const f = only(strandedFindings(input({ nodes, jobs: [pendingJob(101, 2, { reason: 'Priority' })] }), settings()));
    expect(f.detail.cause).toBe('fits');
    expect(jobsOf(f)[0]).toMatchObject({ jobId: '101', verdict: 'fits', reason: 'Priority' });
    expect(f.body).toContain('Why: a waiting job fits now; the scheduler is holding it back (priority order, limits or backfill).');
  });

  it('too-few: a job larger than all free GPUs — still named as the one waiting', () => {
    const f = only(strandedFindings(input({ nodes: spread(), jobs: [pendingJob(102, 8, { gpusPerNode: 8 })] }), settings()));
    expect(f.detail.cause).toBe('too-few');
    expect(f.detail.fragmentation).toBe(false);
    expect(jobsOf(f)[0]?.verdict).toBe('too-few-gpus');
    expect(f.links.jobs).toEqual(['102']);
    expect(f.body).toBe('3 GPUs free on 3 nodes (gpu-01: 1, gpu-02: 1, gpu-03: 1); waiting: 102 (alice, 8 GPUs). Why: fewer GPUs are free than any waiting job needs.');
  });

  it('names only the jobs that could have used the GPUs, highest priority first, and takes the best cause', () => {
    const jobs = [
      pendingJob(102, 8, { priority: 9000 }), // too few
      pendingJob(103, 2, { priority: 100, gpusPerNode: 2 }), // fragmentation
      pendingJob(104, 2, { priority: 500, numNodes: 2, gpusPerNode: 1 }), // 1 per node on 2 nodes: fits
    ];
    const f = only(strandedFindings(input({ nodes: spread(), jobs }), settings()));
    expect(f.detail.cause).toBe('fits');
    expect(f.links.jobs).toEqual(['104', '103']);
    expect(f.title).toBe('3 GPUs free in gpu while 3 GPU jobs wait');
    expect(f.detail.waiting).toBe(3);
    expect(f.body).toContain('could have used them: 104 (alice, 2 GPUs, 1/node), 103 (alice, 2 GPUs)');
  });

  it('fragmentation beats too-few, cpu-or-memory beats fragmentation', () => {
    const frag = only(strandedFindings(input({ nodes: spread(), jobs: [pendingJob(102, 8), pendingJob(103, 2, { gpusPerNode: 2 })] }), settings()));
    expect(frag.detail.cause).toBe('fragmentation');
    expect(frag.links.jobs).toEqual(['103']);
    const nodes = [...spread(), node('gpu-04', { gpus: gpus(['a100', 4, 2]), cpus: { total: 64, allocated: 64 } })];
    const cpu = only(strandedFindings(input({ nodes, jobs: [pendingJob(103, 2, { gpusPerNode: 2 })] }), settings()));
    expect(cpu.detail.cause).toBe('cpu-or-memory');
    expect(cpu.detail.gpus).toBe(5);
    expect(cpu.detail.largestBlock).toBe(2);
  });

  it('multi-node requests: 2 nodes × 2 GPUs fits on two nodes with 2 free, not on one', () => {
    const job = pendingJob(105, 4, { numNodes: 2, gpusPerNode: 2, numCpus: 8, tresReq: tres({ cpu: 8, gpu: 4 }) });
    const two = ['gpu-01', 'gpu-02'].map((n) => node(n, { gpus: gpus(['a100', 4, 2]) }));
    expect(only(strandedFindings(input({ nodes: two, jobs: [job] }), settings())).detail.cause).toBe('fits');
    const oneAndThin = [node('gpu-01', { gpus: gpus(['a100', 4, 1]) }), node('gpu-02', { gpus: gpus(['a100', 4, 3]) })];
    const f = only(strandedFindings(input({ nodes: oneAndThin, jobs: [job] }), settings()));
    expect(f.detail.cause).toBe('fragmentation');
    expect(f.detail.largestBlock).toBe(3);
    expect(f.body).toContain('105 (alice, 4 GPUs, 2/node)');
  });
});

describe('strandedFindings: which GPUs and which jobs count', () => {
  it('typed requests count only matching free GPUs', () => {
    const nodes = [node('a100-01', { gpus: gpus(['a100', 4, 3]) }), node('v100-01', { gpus: gpus(['v100', 4, 0]) }), node('any-01', { gpus: gpus([null, 2, 0]) })];
    const a100 = pendingJob(201, 2, { tresReq: tres({ cpu: 4, gpu: 2, gpuByType: { a100: 2 } }), gpuType: 'a100' });
    const f = only(strandedFindings(input({ nodes, jobs: [a100] }), settings()));
    // Only the one free a100 counts: the v100s and untyped GPUs cannot serve this job.
    expect(f.detail.gpus).toBe(1);
    expect(f.links.nodes).toEqual(['a100-01']);
    expect(f.detail.cause).toBe('too-few');
    // The v100 job sees the 4 v100.
    const v100 = pendingJob(202, 2, { gpuType: 'v100' });
    const g = only(strandedFindings(input({ nodes, jobs: [v100] }), settings()));
    expect(g.detail.gpus).toBe(4);
    expect(g.detail.cause).toBe('fits');
    expect(g.links.nodes).toEqual(['v100-01']);
    // Both: free GPUs of either type; an untyped job: all of them.
    expect(only(strandedFindings(input({ nodes, jobs: [a100, v100] }), settings())).detail.gpus).toBe(5);
    expect(only(strandedFindings(input({ nodes, jobs: [pendingJob(203, 2)] }), settings())).detail.gpus).toBe(7);
  });

  it('is quiet when only GPUs of another type are free', () => {
    const nodes = [node('a100-01', { gpus: gpus(['a100', 4, 4]) }), node('v100-01', { gpus: gpus(['v100', 4, 0]) })];
    expect(strandedFindings(input({ nodes, jobs: [pendingJob(201, 2, { gpuType: 'a100' })] }), settings())).toEqual([]);
  });

  it('a job submitted to gpu,gpu-low is waiting in both, found where the free GPUs are', () => {
    const nodes = [node('gpu-01', { partitions: ['gpu'], gpus: gpus(['a100', 4, 4]) }), node('low-01', { partitions: ['gpu-low'], gpus: gpus(['a100', 4, 2]) })];
    const jobs = [pendingJob(301, 2, { partition: 'gpu,gpu-low' })];
    const f = only(strandedFindings(input({ nodes, jobs }), settings()));
    expect(f.subject).toBe('partition:gpu-low');
    expect(f.links).toEqual({ nodes: ['low-01'], jobs: ['301'], partition: 'gpu-low' });
    // A job only in gpu does not make the free GPUs of gpu-low stranded.
    expect(strandedFindings(input({ nodes, jobs: [pendingJob(302, 2, { partition: 'gpu' })] }), settings())).toEqual([]);
    // Spaces around the comma are tolerated.
    expect(only(strandedFindings(input({ nodes, jobs: [pendingJob(303, 2, { partition: 'gpu, gpu-low' })] }), settings())).subject).toBe('partition:gpu-low');
  });

  it('ignores jobs pending on a dependency, a hold or a begin time, running jobs and CPU-only jobs', () => {
    const nodes = [node('gpu-01')];
    const jobs = [
      pendingJob(401, 2, { reason: 'Dependency', dependency: 'afterok:400' }),
      pendingJob(402, 2, { reason: 'JobHeldUser' }),
      pendingJob(403, 2, { reason: 'JobHeldAdmin' }),
      pendingJob(404, 2, { reason: 'BeginTime' }),
      pendingJob(405, 2, { reason: null }),
      pendingJob(406, 0, { reason: 'Resources' }),
      runningJob(407, 2),
    ];
    expect(strandedFindings(input({ nodes, jobs }), settings())).toEqual([]);
    // One real waiter among them is the only one counted and named.
    const f = only(strandedFindings(input({ nodes, jobs: [...jobs, pendingJob(408, 2)] }), settings()));
    expect(f.detail.waiting).toBe(1);
    expect(f.links.jobs).toEqual(['408']);
  });

  it('counts a job asking --gpus-per-node without a gres/gpu TRES', () => {
    const f = only(strandedFindings(input({ nodes: spread(), jobs: [pendingJob(409, 0, { gpusPerNode: 2 })] }), settings()));
    expect(jobsOf(f)[0]).toMatchObject({ gpus: 2, gpusPerNode: 2, verdict: 'gpus-per-node' });
  });

  it('leaves out reserved, drained, down, powered-down and maintenance nodes', () => {
    const nodes = [
      node('resv-01', { flags: ['RESERVED'] }),
      node('drain-01', { flags: ['DRAIN'] }),
      node('down-01', { state: 'DOWN' }),
      node('pwr-01', { flags: ['POWERED_DOWN'] }),
      node('maint-01', { flags: ['MAINTENANCE'] }),
      node('cpu-01', { gpus: [] }),
    ];
    const jobs = [pendingJob(501, 1)];
    expect(strandedFindings(input({ nodes, jobs }), settings())).toEqual([]);
    const f = only(strandedFindings(input({ nodes: [...nodes, node('ok-01', { gpus: gpus(['a100', 4, 3]) })], jobs }), settings()));
    expect(f.links.nodes).toEqual(['ok-01']);
    expect(f.detail.gpus).toBe(1);
    // Partition GPUs still counts every node of the partition.
    expect(f.detail.partitionGpus).toBe(24);
  });

  it('counts the tasks of a pending array range, fitting each task on its own', () => {
    const range = pendingJob(600, 2, { jobId: '600_[5-9%2]', arrayJobId: 600, arrayTaskRange: '5-9%2', gpusPerNode: 2 });
    const nodes = [node('gpu-01', { gpus: gpus(['a100', 4, 2]) })];
    const f = only(strandedFindings(input({ nodes, jobs: [range] }), settings()));
    // Each task asks 2 GPUs on a node: the 2 free fit one task now.
    expect(f.detail.cause).toBe('fits');
    expect(jobsOf(f)[0]).toMatchObject({ jobId: '600_[5-9%2]', gpus: 2, verdict: 'fits' });
    expect(f.title).toBe('2 GPUs free in gpu while 5 GPU jobs wait');
    expect(f.detail.waiting).toBe(5);
  });

  it('uses the partitions snapshot for membership when there is one', () => {
    const nodes = [node('gpu-01', { partitions: [] }), node('gpu-02', { partitions: [] })];
    const partitions = [partition('gpu', ['gpu-01', 'gpu-02', 'gone-03'])];
    const f = only(strandedFindings(input({ nodes, partitions, jobs: [pendingJob(701, 2)] }), settings()));
    expect(f.links.nodes).toEqual(['gpu-01', 'gpu-02']);
    expect(f.detail.partitionGpus).toBe(8);
    // Without a snapshot the nodes' own (empty) lists say they are in no partition.
    expect(strandedFindings(input({ nodes, partitions: null, jobs: [pendingJob(701, 2)] }), settings())).toEqual([]);
  });

  it('lists at most 20 jobs, and says how many more', () => {
    const jobs = Array.from({ length: 25 }, (_, i) => pendingJob(800 + i, 1, { priority: 1000 - i }));
    const f = only(strandedFindings(input({ nodes: [node('gpu-01')], jobs }), settings()));
    expect(f.links.jobs).toHaveLength(20);
    expect(f.links.jobs[0]).toBe('800');
    expect(f.links.jobs[19]).toBe('819');
    expect(f.title).toBe('4 GPUs free in gpu while 25 GPU jobs wait');
    expect(f.body).toContain('800 (alice, 1 GPU), 801 (alice, 1 GPU), 802 (alice, 1 GPU), 803 (alice, 1 GPU), 804 (alice, 1 GPU) and 20 more.');
  });
});

describe('strandedFindings: thresholds and overrides', () => {
  const nodes = spread();
  const jobs = [pendingJob(101, 2, { gpusPerNode: 2 })];
  const withMin = (n: number): AlertSettings => settings({ global: { strandedMinGpus: n } });

  it('strandedMinGpus: fires at exactly the count of free GPUs, quiet one above it', () => {
    expect(strandedFindings(input({ nodes, jobs }), withMin(2))).toHaveLength(1);
    expect(strandedFindings(input({ nodes, jobs }), withMin(3))).toHaveLength(1);
    expect(strandedFindings(input({ nodes, jobs }), withMin(4))).toEqual([]);
    // 0 still needs one free GPU.
    const full = spread({ gpus: gpus(['a100', 4, 4]) });
    expect(strandedFindings(input({ nodes: full, jobs }), withMin(0))).toEqual([]);
  });

  it('per-partition overrides: min GPUs, minutes and the on switch', () => {
    const s: AlertSettings = {
      global: { strandedMinutes: 20 },
      clusters: { alpha: { partitions: { gpu: { strandedMinGpus: 4 }, 'gpu-low': { strandedMinutes: 3 }, scratch: { enabled: { 'stranded-gpus': false } } } } },
    };
    const n = [
      ...spread({ partitions: ['gpu'] }),
      node('low-01', { partitions: ['gpu-low'], gpus: gpus(['a100', 4, 3]) }),
      node('scr-01', { partitions: ['scratch'] }),
    ];
    const j = [pendingJob(101, 1, { partition: 'gpu,gpu-low,scratch' })];
    const fs = strandedFindings(input({ nodes: n, jobs: j }), s);
    expect(fs.map((f) => [f.subject, f.holdSeconds])).toEqual([['partition:gpu-low', 3 * MIN]]);
    // The override belongs to cluster alpha only.
    const other = strandedFindings(input({ cluster: 'beta', nodes: n, jobs: j }), s);
    expect(other.map((f) => [f.subject, f.holdSeconds])).toEqual([
      ['partition:gpu', 20 * MIN],
      ['partition:gpu-low', 20 * MIN],
      ['partition:scratch', 20 * MIN],
    ]);
  });

  it('is critical from 8 free GPUs or a quarter of the partition', () => {
    const eight = ['gpu-01', 'gpu-02'].map((n) => node(n));
    expect(only(strandedFindings(input({ nodes: eight, jobs }), settings())).severity).toBe('critical');
    const seven = [node('gpu-01'), node('gpu-02', { gpus: gpus(['a100', 4, 1]) })];
    expect(only(strandedFindings(input({ nodes: seven, jobs }), settings())).severity).toBe('warning');
    // 48 GPUs in the partition: 8 free is not yet a quarter (12).
    const big = [...eight, ...Array.from({ length: 5 }, (_, i) => node(`full-0${i}`, { gpus: gpus(['a100', 8, 8]) }))];
    expect(only(strandedFindings(input({ nodes: big, jobs }), settings())).severity).toBe('warning');
  });
});
