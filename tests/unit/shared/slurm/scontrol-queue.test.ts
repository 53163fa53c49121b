// parseScontrolQueue must give, for the same queue, exactly the records parseSqueue gives: checked on
// outputs of both commands captured together on Slurm 22.05 and 24.11 (tests/fixtures/slurm/queue-sources),
// and on hand-made lines for what the captures cannot show.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QueuedJob } from '../../../../shared/model/job';
import { scontrolJobsCommand } from '../../../../shared/slurm/commands';
import { parseScontrolJobs } from '../../../../shared/slurm/parse/scontrol-job';
import { parseScontrolQueue } from '../../../../shared/slurm/parse/scontrol-queue';
import { parseSqueue } from '../../../../shared/slurm/parse/squeue';

const TZ = { timeZone: 'UTC' };
const root = path.resolve(import.meta.dirname, '../../../fixtures/slurm/queue-sources');
const read = (dir: string, file: string): string => readFileSync(path.join(root, dir, file), 'utf8');
const byRawId = (jobs: QueuedJob[]): Map<number, QueuedJob> => new Map(jobs.map((j) => [j.jobIdRaw, j]));

describe.each(['alpha-22.05', 'beta-24.11'])('scontrol and squeue captured together on %s', (dir) => {
  const viaScontrol = parseScontrolQueue(read(dir, 'scontrol-job.txt'), TZ);
  const viaSqueue = parseSqueue(read(dir, 'squeue.txt'), TZ);

  it('both parse without a rejected record', () => {
    expect(viaScontrol.errors).toEqual([]);
    expect(viaSqueue.errors).toEqual([]);
  });

  it('list the same jobs', () => {
    expect([...byRawId(viaScontrol.items).keys()].sort((a, b) => a - b)).toEqual([...byRawId(viaSqueue.items).keys()].sort((a, b) => a - b));
    expect(viaScontrol.items).toHaveLength(viaSqueue.items.length);
  });

  it('give equal records, field by field (no exceptions)', () => {
    const squeue = byRawId(viaSqueue.items);
    for (const job of viaScontrol.items) expect(job, `${dir} job ${job.jobId}`).toEqual(squeue.get(job.jobIdRaw));
  });

  it('cover the cases the comparison is for', () => {
    const jobs = viaSqueue.items;
    const some = (what: string, test: (j: QueuedJob) => boolean): void => expect(jobs.some(test), `${dir}: ${what}`).toBe(true);
    some('a running job with typed GPUs', (j) => j.state === 'RUNNING' && j.gpuType !== null && j.tresAlloc !== null && j.tresAlloc.gpu > 0);
    some('a running array task', (j) => j.state === 'RUNNING' && j.arrayTaskId !== null);
    some('a pending array range with a throttle', (j) => /%\d+$/.test(j.arrayTaskRange ?? ''));
    some('a pending array range of single ids', (j) => j.arrayTaskRange === '1,3,7-9');
    for (const reason of ['Resources', 'Priority', 'Dependency', 'JobHeldUser', 'JobHeldAdmin', 'BeginTime']) some(`reason ${reason}`, (j) => j.reason === reason);
    some('a dependency', (j) => j.dependency?.startsWith('afterok:') === true);
    some('a requeued job', (j) => j.restarts > 0);
    some('a name with spaces and =', (j) => j.name === 'qs name with spaces x=1 Key=v');
    some('an UNLIMITED time limit', (j) => j.timeLimit === null);
    some('a pending job on two requested nodes', (j) => j.state === 'PENDING' && j.numNodes === 2);
    // scontrol prints finished jobs too; squeue does not list them.
    if (dir === 'beta-24.11') {
      expect(read(dir, 'scontrol-job.txt')).toMatch(/JobState=CANCELLED/);
      // Requeued pending tasks 1 and 2 folded into the array's own record (scontrol: ArrayTaskId=5-6%2).
      some('split pending tasks folded back', (j) => j.jobId === '388_[1-2,5-6]');
    } else {
      some('a reason text with spaces (scontrol prints it with _)', (j) => j.reason?.startsWith('Nodes required for job are DOWN, DRAINED') === true);
    }
  });
});

// A pending job as 24.11 prints it, cut down to the keys scontrol always prints around the ones read.
const PENDING = [
  'JobId=500 JobName=train x=1 UserId=alice(1004) GroupId=alice(1004) MCS_label=N/A Priority=4242 Nice=0 Account=nlp QOS=normal',
  'JobState=PENDING Reason=Resources Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:00',
  'TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=1795715066 EligibleTime=1795715097 AccrueTime=1795715097 StartTime=1795729468',
  'EndTime=Unknown Deadline=N/A Partition=gpu AllocNode:Sid=localhost:0 ReqNodeList=(null) ExcNodeList=(null) NodeList=',
  'NumNodes=1-2 NumCPUs=2 NumTasks=1 CPUs/Task=2 ReqB:S:C:T=0:0:*:* ReqTRES=cpu=2,mem=2000M,node=1,billing=18,gres/gpu=1,gres/gpu:h100=1',
  'AllocTRES=(null) Socks/Node=* MinCPUsNode=2 Command=(null) WorkDir=/home/alice StdErr=/dev/null StdIn=/dev/null StdOut=/dev/null',
  'TresPerNode=gres/gpu:h100:1',
].join(' ');
const RUNNING = [
  'JobId=501 JobName=serve UserId=bob(1005) GroupId=bob(1005) Priority=100 Account=inference QOS=high JobState=RUNNING Reason=None',
  'Dependency=(null) Requeue=0 Restarts=2 BatchFlag=0 TimeLimit=1-00:00:00 SubmitTime=1795714000 StartTime=1795714100 EndTime=1795800500',
  'Partition=gpu NodeList=gpu-[01-02] BatchHost=gpu-01 NumNodes=2 NumCPUs=16 ReqTRES=cpu=16,mem=16000M,node=2,billing=40',
  'AllocTRES=cpu=16,mem=16000M,node=2,billing=40,gres/gpu=8,gres/gpu:a100=8 JOB_GRES=gpu:a100:8',
  '  Nodes=gpu-[01-02] CPU_IDs=0-7 Mem=8000 GRES=gpu:a100:4(IDX:0-3) MinCPUsNode=8 TresPerNode=gres/gpu:a100:4',
].join(' ');

function arrayRecord(jobId: number, task: string, state: string, reason: string): string {
  return PENDING.replace('JobId=500 ', `JobId=${jobId} ArrayJobId=700 ArrayTaskId=${task} ArrayTaskThrottle=2 `)
    .replace('JobName=train x=1', 'JobName=sweep')
    .replace('JobState=PENDING Reason=Resources', `JobState=${state} Reason=${reason}`);
}

describe('parseScontrolQueue', () => {
  it('reads a pending job as squeue would: requested TRES, no start, first of NumNodes', () => {
    const { items, errors } = parseScontrolQueue(`${PENDING}\n`, TZ);
    expect(errors).toEqual([]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      jobId: '500', jobIdRaw: 500, arrayJobId: null, arrayTaskId: null, arrayTaskRange: null, name: 'train x=1', user: 'alice', account: 'nlp',
      partition: 'gpu', qos: 'normal', state: 'PENDING', reason: 'Resources', priority: 4242, tresAlloc: null, gpusPerNode: 1, gpuType: 'h100',
      nodesExpr: null, nodes: [], numNodes: 1, numCpus: 2, submitTime: 1795715066, startTime: null, endTime: null, timeLimit: null, restarts: 0,
      batch: true, requeueable: true, dependency: null,
    });
    expect(items[0]?.tresReq).toMatchObject({ cpu: 2, memMiB: 2000, gpu: 1, gpuByType: { h100: 1 } });
  });

  it('reads a running job: allocated TRES, nodes, times; the -d allocation groups do not leak into the keys', () => {
    const { items, errors } = parseScontrolQueue(`${RUNNING}\n`, TZ);
    expect(errors).toEqual([]);
    expect(items[0]).toMatchObject({
      jobId: '501', state: 'RUNNING', reason: null, nodesExpr: 'gpu-[01-02]', nodes: ['gpu-01', 'gpu-02'], numNodes: 2, numCpus: 16,
      startTime: 1795714100, endTime: 1795800500, timeLimit: 86400, restarts: 2, batch: false, requeueable: false, gpusPerNode: 4, gpuType: 'a100',
    });
    expect(items[0]?.tresAlloc).toMatchObject({ gpu: 8, gpuByType: { a100: 8 } });
    expect(items[0]?.tresReq).toEqual(items[0]?.tresAlloc);
  });

  it("reads 22.05's TRES= (allocated, else requested)", () => {
    const line = RUNNING.replace(/ReqTRES=\S+ AllocTRES=/, 'TRES=');
    expect(parseScontrolQueue(line, TZ).items[0]?.tresAlloc).toMatchObject({ cpu: 16, gpu: 8 });
    const pending = PENDING.replace(/ReqTRES=(\S+) AllocTRES=\(null\)/, 'TRES=$1');
    expect(parseScontrolQueue(pending, TZ).items[0]).toMatchObject({ tresAlloc: null, tresReq: { cpu: 2, gpu: 1 } });
  });

  it('reads a pending array range and array tasks, typed as squeue prints them', () => {
    const out = [arrayRecord(700, '5-9%2', 'PENDING', 'JobArrayTaskLimit'), arrayRecord(703, '3', 'RUNNING', 'None')].join('\n');
    const { items, errors } = parseScontrolQueue(out, TZ);
    expect(errors).toEqual([]);
    expect(items.map((j) => [j.jobId, j.jobIdRaw, j.arrayJobId, j.arrayTaskId, j.arrayTaskRange])).toEqual([
      ['700_[5-9%2]', 700, 700, null, '5-9%2'],
      ['700_3', 703, 700, 3, null],
    ]);
  });

  it("folds split pending tasks into the array's pending record, as squeue does, and merges their reasons", () => {
    const out = [
      arrayRecord(700, '5-6%2', 'PENDING', 'JobArrayTaskLimit'),
      arrayRecord(701, '1', 'PENDING', 'JobArrayTaskLimit'),
      arrayRecord(702, '2', 'PENDING', 'Resources'),
      arrayRecord(703, '3', 'RUNNING', 'None'),
      arrayRecord(704, '4', 'PENDING', 'Priority').replace('Partition=gpu', 'Partition=gpu-low'), // another partition: kept apart
    ].join('\n');
    const { items, errors } = parseScontrolQueue(out, TZ);
    expect(errors).toEqual([]);
    expect(items.map((j) => [j.jobId, j.jobIdRaw, j.arrayTaskRange, j.reason])).toEqual([
      ['700_[1-2,5-6]', 700, '1-2,5-6', 'JobArrayTaskLimit,Resources'],
      ['700_3', 703, null, null],
      ['700_4', 704, null, 'Priority'],
    ]);
  });

  it("drops jobs squeue does not list (finished ones), keeps flag states of live jobs, and skips 'No jobs in the system'", () => {
    const finished = ['COMPLETED', 'CANCELLED', 'FAILED', 'TIMEOUT', 'NODE_FAIL', 'PREEMPTED', 'OUT_OF_MEMORY', 'REVOKED'].map((s, i) =>
      RUNNING.replace('JobId=501', `JobId=${600 + i}`).replace('JobState=RUNNING', `JobState=${s}`),
    );
    const live = ['COMPLETING', 'CONFIGURING', 'SUSPENDED', 'REQUEUE_HOLD'].map((s, i) => RUNNING.replace('JobId=501', `JobId=${610 + i}`).replace('JobState=RUNNING', `JobState=${s}`));
    const { items, errors } = parseScontrolQueue(['No jobs in the system', ...finished, ...live].join('\n'), TZ);
    expect(errors).toEqual([]);
    expect(items.map((j) => [j.jobIdRaw, j.state])).toEqual([[610, 'COMPLETING'], [611, 'CONFIGURING'], [612, 'SUSPENDED'], [613, 'REQUEUE_HOLD']]);
    expect(parseScontrolQueue('No jobs in the system\n', TZ)).toEqual({ items: [], errors: [] });
  });

  it('gives back the spaces scontrol replaced in a reason text', () => {
    const line = PENDING.replace('Reason=Resources', 'Reason=Nodes_required_for_job_are_DOWN,_DRAINED_or_reserved_for_jobs_in_higher_priority_partitions');
    expect(parseScontrolQueue(line, TZ).items[0]?.reason).toBe('Nodes required for job are DOWN, DRAINED or reserved for jobs in higher priority partitions');
  });

  it('keeps a job name with spaces and = whole, and ignores keys it does not know', () => {
    const line = PENDING.replace('JobName=train x=1', 'JobName=my run lr=0.1 a=b').replace('Nice=0', 'Nice=0 FutureKey=some value NewerFlag=1');
    const { items, errors } = parseScontrolQueue(line, TZ);
    expect(errors).toEqual([]);
    expect(items[0]).toMatchObject({ name: 'my run lr=0.1 a=b', partition: 'gpu', account: 'nlp', qos: 'normal' });
  });

  it('known limit (not in squeue): a name containing " <key scontrol prints>=" is cut there', () => {
    // scontrol's line cannot tell this name from a real Partition= key (see key-value.ts); squeue prints the
    // name last and keeps it whole. The first Partition= wins: the one inside the name.
    const line = PENDING.replace('JobName=train x=1', 'JobName=my run Partition=x');
    expect(parseScontrolQueue(line, TZ).items[0]).toMatchObject({ name: 'my run', partition: 'x' });
  });

  it('reports a garbage line and a truncated line with their line numbers, and keeps the other jobs', () => {
    const truncated = PENDING.slice(0, PENDING.indexOf('SubmitTime='));
    const badTres = PENDING.replace('ReqTRES=cpu=2,', 'ReqTRES=cpu=,');
    const out = ['garbage without pairs', truncated, RUNNING, badTres, 'JobId=1 JobName=x', PENDING].join('\n');
    const { items, errors } = parseScontrolQueue(out, TZ);
    expect(items.map((j) => j.jobIdRaw)).toEqual([501, 500]);
    expect(errors.map((e) => e.line)).toEqual([1, 2, 4, 5]);
    for (const e of errors) expect(e.parser).toMatch(/^(scontrol-job|tres|number)$/);
  });

  it('never throws anything but parse errors on cut or mangled lines', () => {
    for (let cut = 0; cut < RUNNING.length; cut += 7) {
      const r = parseScontrolQueue(RUNNING.slice(0, cut), TZ);
      expect(r.items.length + r.errors.length).toBeLessThanOrEqual(1);
    }
  });

  it('leaves parseScontrolJobs as it was (it reads the same lines for GPU indices)', () => {
    const { items, errors } = parseScontrolJobs(`${RUNNING}\n`);
    expect(errors).toEqual([]);
    expect(items[0]).toMatchObject({ jobId: '501', user: 'bob', allocTres: { gpu: 8 } });
    expect(items[0]?.allocations).toEqual([{ nodesExpr: 'gpu-[01-02]', nodes: ['gpu-01', 'gpu-02'], cpuIds: '0-7', memMiB: 8000, gres: expect.any(Array) }]);
  });

  it('reads the output of the command the GPU-index reader runs, with epoch times', () => {
    const cmd = scontrolJobsCommand();
    expect(cmd.argv.slice(-4)).toEqual(['-d', '-o', 'show', 'job']);
    expect(cmd.env).toEqual({ SLURM_TIME_FORMAT: '%s' });
  });
});

describe('finished jobs are skipped before the line is split', () => {
  it('a finished job is left out, a live job whose free text says JobState=COMPLETED is kept', () => {
    const finished = RUNNING.replace('JobState=RUNNING Reason=None', 'JobState=COMPLETED Reason=None').replace('JobId=501', 'JobId=502');
    const tricky = PENDING.replace('Command=(null)', 'Command=/bin/echo JobState=COMPLETED');
    const { items, errors } = parseScontrolQueue(`${finished}\n${tricky}\n${RUNNING}\n`, TZ);
    expect(errors).toEqual([]);
    expect(items.map((j) => j.jobIdRaw).sort()).toEqual([500, 501]);
  });

  it('a line with an unreadable JobState is still reported, not skipped', () => {
    const bad = RUNNING.replace('JobState=RUNNING', 'JobState=%%%');
    const { items, errors } = parseScontrolQueue(`${bad}\n`, TZ);
    expect(items).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});
