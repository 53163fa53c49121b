import { describe, expect, it } from 'vitest';
import { gpuUtilJobs, parseSstatGpuUtil, recordsGpuUtil, sstatGpuUtilArgv } from '../../../../shared/alerts/util/sstat-gpuutil';
import type { QueuedJob } from '../../../../shared/model/job';
import { emptyTres } from '../../../../shared/model/tres';
import { parseScontrolConfig } from '../../../../shared/slurm/parse/scontrol-config';
import { slurmFixture } from './fixtures';

// A cluster with the gpu/nvml plugin: job 4711 runs one srun step with 4 tasks on 4 GPUs (two busy, two
// idle), next to its batch step; job 4712's single-task batch step drives 2 GPUs; array task 4700_3 (record
// 4713) is idle. The usage fields as sstat -P prints them (TRES in name order, cpu as a time).
const STDOUT = [
  '4711.batch|1|cpu=00:00:01,energy=0,fs/disk=5383,mem=4516K,pages=0,vmem=12168K|cpu=00:00:01,energy=0,fs/disk=5383,mem=4516K,pages=0,vmem=12168K',
  '4711.0|4|cpu=01:12:09,energy=0,fs/disk=2313881,gres/gpumem=35812M,gres/gpuutil=50,mem=9216852K,pages=0,vmem=15318840K|cpu=04:48:36,energy=0,fs/disk=9255524,gres/gpumem=143248M,gres/gpuutil=200,mem=36867408K,pages=0,vmem=61275360K',
  '4712.batch|1|cpu=00:41:57,energy=0,fs/disk=1144,gres/gpumem=120G,gres/gpuutil=184,mem=20G,pages=3,vmem=31G|cpu=00:41:57,energy=0,fs/disk=1144,gres/gpumem=120G,gres/gpuutil=184,mem=20G,pages=3,vmem=31G',
  '4713.batch|1|cpu=00:00:00,energy=0,fs/disk=2049,gres/gpumem=0,gres/gpuutil=0,mem=3256K,pages=0,vmem=5516K|cpu=00:00:00,energy=0,fs/disk=2049,gres/gpumem=0,gres/gpuutil=0,mem=3256K,pages=0,vmem=5516K',
  '',
].join('\n');

// Real stderr of the test bed when sstat is asked for another user's job (22.05 and 24.11, exit 0).
const STDERR_DENIED = [
  'sstat: error: slurm_job_step_stat: there was an error with the request to dgx-h100-01 rc = Invalid user id',
  'sstat: error: problem getting step_layout for StepId=326.batch: Invalid user id',
  "sstat: error: couldn't get steps for job 999999",
  '',
].join('\n');

const job = (jobId: string, jobIdRaw: number, gpus: number, nodes: string[], extra: Partial<QueuedJob> = {}): QueuedJob => ({
  jobId, jobIdRaw, arrayJobId: null, arrayTaskId: null, arrayTaskRange: null, name: 'j', user: 'opsuser', account: 'vision', partition: 'gpu', qos: 'normal',
  state: 'RUNNING', reason: null, priority: 1, tresReq: emptyTres(), tresAlloc: { ...emptyTres(), gpu: gpus }, gpusPerNode: null, gpuType: null,
  nodesExpr: null, nodes, numNodes: nodes.length, numCpus: 1, submitTime: 0, startTime: 0, endTime: null, timeLimit: null, restarts: 0, batch: true,
  requeueable: false, dependency: null, ...extra,
});

describe('sstat gres/gpuutil', () => {
  it('detects the TRES in AccountingStorageTRES: 24.11 lists it (implied by gres/gpu), 22.05 does not', () => {
    expect(recordsGpuUtil(parseScontrolConfig(slurmFixture('24.11', 'scontrol-config.txt')).values.get('AccountingStorageTRES'))).toBe(true);
    expect(recordsGpuUtil(parseScontrolConfig(slurmFixture('22.05', 'scontrol-config.txt')).values.get('AccountingStorageTRES'))).toBe(false);
    expect(recordsGpuUtil(undefined)).toBe(false);
    expect(recordsGpuUtil('cpu,mem,gres/gpuutil')).toBe(true);
  });

  it('argv: one -j list of numeric ids, refuses anything else', () => {
    expect(sstatGpuUtilArgv([4711, 4712, 4711])).toEqual(['sstat', '-a', '-P', '--noheader', '-j', '4711,4712', '-o', 'JobID,NTasks,TRESUsageInAve,TRESUsageInTot']);
    expect(() => sstatGpuUtilArgv([])).toThrow();
    expect(() => sstatGpuUtilArgv([Number.NaN])).toThrow(/refusing/);
    expect(() => sstatGpuUtilArgv([-1])).toThrow(/refusing/);
  });

  it('parses steps: Tot for all tasks, gpumem in MiB, steps without the TRES', () => {
    const p = parseSstatGpuUtil(STDOUT);
    expect(p.errors).toEqual([]);
    expect(p.steps.map((s) => [s.jobIdRaw, s.step, s.ntasks, s.gpuUtilTotal, s.gpuMemMiB])).toEqual([
      [4711, 'batch', 1, null, null],
      [4711, '0', 4, 200, 143248],
      [4712, 'batch', 1, 184, 122880],
      [4713, 'batch', 1, 0, 0],
    ]);
  });

  it('falls back to Ave × NTasks when Tot is missing', () => {
    const p = parseSstatGpuUtil('9.0|2|cpu=00:00:01,gres/gpuutil=30\n');
    expect(p.steps[0]?.gpuUtilTotal).toBe(60);
  });

  it('stderr: other users’ jobs are "denied", ended jobs "gone"', () => {
    const p = parseSstatGpuUtil('', STDERR_DENIED);
    expect(p).toEqual({ steps: [], denied: [326], gone: [999999], errors: [] });
  });

  it('per job: Σ steps / GPUs, capped at 100, spread over the job’s nodes; jobs without the TRES listed', () => {
    const jobs = [
      job('4711', 4711, 4, ['gpu01']),
      job('4712', 4712, 2, ['gpu02'], { gpusPerNode: 2 }),
      job('4700_3', 4713, 1, ['gpu03'], { arrayJobId: 4700, arrayTaskId: 3 }),
      job('4714', 4714, 8, ['gpu04', 'gpu05']),
    ];
    const noTres = '4714.batch|1|cpu=00:00:00,energy=0,fs/disk=0,mem=1M,pages=0,vmem=1M|cpu=00:00:00,energy=0,fs/disk=0,mem=1M,pages=0,vmem=1M\n';
    const r = gpuUtilJobs(parseSstatGpuUtil(STDOUT + noTres), jobs);
    expect(r.jobs.map((j) => [j.jobId, j.gpusMeasured, j.meanPct, j.maxPct])).toEqual([
      ['4711', 4, 50, 50],
      ['4712', 2, 92, 92],
      ['4700_3', 1, 0, 0],
    ]);
    expect(r.jobs[0]?.perGpu).toEqual([0, 1, 2, 3].map(() => ({ node: 'gpu01', gpuIndex: null, utilPct: 50 })));
    expect(r.withoutValue).toEqual(['4714']);
  });
});
