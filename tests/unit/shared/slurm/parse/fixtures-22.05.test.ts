// Parsers on real Slurm 22.05.8 outputs (test-bed cluster alpha, after scenario.sh --wait). Every value
// asserted here was read by eye in the fixture file named in the test.
import { describe, expect, it } from 'vitest';
import { nodeCanTakeWork, nodeGpuTotals, nodeStateLabel, type SlurmNode } from '../../../../../shared/model/node';
import { sacctFields } from '../../../../../shared/slurm/commands';
import { parseSacct, parseSacctHelpformat } from '../../../../../shared/slurm/parse/sacct';
import { parseSacctmgrUser } from '../../../../../shared/slurm/parse/sacctmgr-user';
import { parseScontrolConfig } from '../../../../../shared/slurm/parse/scontrol-config';
import { parseScontrolJobs } from '../../../../../shared/slurm/parse/scontrol-job';
import { parseScontrolNodes } from '../../../../../shared/slurm/parse/scontrol-node';
import { parseScontrolPartitions } from '../../../../../shared/slurm/parse/scontrol-partition';
import { parseScontrolReservations } from '../../../../../shared/slurm/parse/scontrol-reservation';
import { parseSdiag } from '../../../../../shared/slurm/parse/sdiag';
import { parseSinfoNodes } from '../../../../../shared/slurm/parse/sinfo';
import { parseSprio, sprioColumns } from '../../../../../shared/slurm/parse/sprio';
import { parseSqueue } from '../../../../../shared/slurm/parse/squeue';
import { parseSshare } from '../../../../../shared/slurm/parse/sshare';
import { parseSlurmVersion } from '../../../../../shared/slurm/version';
import { fixture } from './fixture-files';

const V = '22.05';
const TZ = { timeZone: 'UTC' };
const byName = <T extends { name: string }>(items: T[]): Map<string, T> => new Map(items.map((i) => [i.name, i]));

describe('Slurm 22.05 fixtures', () => {
  it('scontrol-node.txt: drained and dead nodes, GPUs per type with indices', () => {
    const { items, errors } = parseScontrolNodes(fixture(V, 'scontrol-node.txt'), TZ);
    expect(errors).toEqual([]);
    expect(items).toHaveLength(8);
    const nodes = byName(items);
    const drained = nodes.get('gpu-a100-03') as SlurmNode;
    expect(drained).toMatchObject({ state: 'IDLE', flags: ['DRAIN'], reason: 'xid 79: GPU fell off the bus', reasonUser: 'root', reasonTime: 1795695529, partitions: ['gpu', 'gpu-low'] });
    expect(drained.gpus).toEqual([{ type: 'a100', total: 4, used: 0, usedIndices: [] }]);
    expect(nodeStateLabel(drained)).toBe('drained');
    expect(nodeCanTakeWork(drained)).toBe(false);
    const dead = nodes.get('cpu-03') as SlurmNode;
    expect(dead).toMatchObject({ state: 'DOWN', flags: ['NOT_RESPONDING'], reason: 'Not responding', reasonUser: 'slurm', reasonTime: 1795695565, gpus: [] });
    expect(nodeStateLabel(dead)).toBe('down*');
    expect(nodes.get('gpu-a100-01')).toMatchObject({ state: 'MIXED', cpus: { total: 16, allocated: 8 }, memoryMiB: { total: 64000, allocated: 8000 }, features: ['a100', 'nvlink'] });
    expect(nodes.get('gpu-a100-01')?.gpus).toEqual([{ type: 'a100', total: 4, used: 4, usedIndices: [0, 1, 2, 3] }]);
    expect(nodes.get('gpu-a100-02')?.gpus).toEqual([{ type: 'a100', total: 4, used: 2, usedIndices: [0, 1] }]);
    expect(nodes.get('cpu-02')).toMatchObject({ state: 'ALLOCATED', cpus: { total: 8, allocated: 8 }, otherGres: null });
    const total = items.reduce((a, n) => ({ total: a.total + nodeGpuTotals(n).total, used: a.used + nodeGpuTotals(n).used }), { total: 0, used: 0 });
    expect(total).toEqual({ total: 16, used: 10 }); // 3x4 a100 + 2x2 v100; 4+2 a100 and 2+2 v100 in use
  });

  it('sinfo-node.txt: the same nodes, partitions merged, the default partition without its *', () => {
    const { items, errors } = parseSinfoNodes(fixture(V, 'sinfo-node.txt'), TZ);
    expect(errors).toEqual([]);
    const nodes = byName(items);
    expect(items).toHaveLength(8);
    expect(nodes.get('gpu-a100-01')?.partitions).toEqual(['gpu', 'gpu-low']);
    expect(nodes.get('gpu-a100-03')).toMatchObject({ state: 'IDLE', flags: ['DRAIN'], reason: 'xid 79: GPU fell off the bus', reasonUser: 'root', reasonTime: 1795695529 });
    expect(nodes.get('cpu-03')).toMatchObject({ state: 'DOWN', flags: ['NOT_RESPONDING'], reasonUser: 'slurm' });
    expect(nodes.get('cpu-01')).toMatchObject({ reason: null, cpus: { total: 8, allocated: 5 }, memoryMiB: { total: 16000, allocated: 5000 } });
  });

  it('squeue.txt: pending reasons, array ranges, the preempted job back in the queue, GPU requests', () => {
    const { items, errors } = parseSqueue(fixture(V, 'squeue.txt'), TZ);
    expect(errors).toEqual([]);
    expect(items).toHaveLength(21);
    const job = (id: string) => items.find((j) => j.jobId === id);
    expect(job('1082')).toMatchObject({
      state: 'PENDING', reason: 'Nodes required for job are DOWN, DRAINED or reserved for jobs in higher priority partitions', restarts: 1,
      qos: 'low', partition: 'gpu-low', gpusPerNode: 4, gpuType: 'a100', tresAlloc: null, startTime: null, timeLimit: 21600, submitTime: 1795695530,
    });
    expect(job('1082')?.tresReq).toMatchObject({ cpu: 8, memMiB: 8000, gpu: 4, gpuByType: { a100: 4 }, billing: 36 });
    expect(job('1084_[2-3]')).toMatchObject({ jobIdRaw: 1084, arrayJobId: 1084, arrayTaskRange: '2-3', reason: 'AssocGrpGRES', user: 'bob', account: 'inference' });
    expect(job('1084_0')).toMatchObject({ jobIdRaw: 1086, arrayJobId: 1084, arrayTaskId: 0, state: 'RUNNING', nodes: ['gpu-v100-01'], gpuType: 'v100' });
    expect(job('1098')?.dependency).toBe('afterok:1082(unfulfilled)');
    expect(job('1099')).toMatchObject({ reason: 'JobHeldUser', priority: 0 });
    expect(job('1100')?.reason).toBe('JobHeldAdmin');
    expect(job('1101')?.reason).toBe('BeginTime');
    expect(job('1090')).toMatchObject({ state: 'RUNNING', qos: 'high', nodes: ['gpu-a100-01'], startTime: 1795695530, endTime: 1795724330 });
    expect(job('1090')?.tresAlloc?.gpuByType).toEqual({ a100: 4 });
    expect(job('1081')).toMatchObject({ state: 'RUNNING', restarts: 1, name: 'feature-extract' });
    const pendingGpus = items.filter((j) => j.state === 'PENDING').reduce((a, j) => a + j.tresReq.gpu, 0);
    expect(pendingGpus).toBe(1 + 1 + 1 + 1 + 1 + 4); // 1084 and 1085 ranges, 1098, 1099, 1100, 1082
  });

  it('scontrol-job.txt: per-node GPU indices and restart counts', () => {
    const { items, errors } = parseScontrolJobs(fixture(V, 'scontrol-job.txt'));
    expect(errors).toEqual([]);
    expect(items).toHaveLength(95);
    const j1083 = items.find((j) => j.jobIdRaw === 1083);
    expect(j1083).toMatchObject({ jobId: '1083', name: 'ablation-lowprio', user: 'bob', state: 'RUNNING', batch: true, requeueable: true });
    expect(j1083?.allocations).toHaveLength(1);
    expect(j1083?.allocations[0]).toMatchObject({ nodes: ['gpu-a100-02'], cpuIds: '0-3', memMiB: 4000 });
    expect(j1083?.allocations[0]?.gres[0]).toMatchObject({ name: 'gpu', type: 'a100', count: 2, indices: [0, 1] });
    expect(items.find((j) => j.jobIdRaw === 1082)).toMatchObject({ restarts: 1, state: 'PENDING', allocations: [], allocTres: null });
    expect(items.find((j) => j.jobIdRaw === 1086)).toMatchObject({ jobId: '1084_0', arrayJobId: 1084, arrayTaskId: 0 });
  });

  it('scontrol-partition.txt: tiers, billing weights, limits', () => {
    const { items, errors } = parseScontrolPartitions(fixture(V, 'scontrol-partition.txt'));
    expect(errors).toEqual([]);
    const p = byName(items);
    expect(items.map((x) => x.name)).toEqual(['gpu', 'gpu-low', 'cpu']);
    expect(p.get('gpu')).toMatchObject({
      isDefault: true, priorityJobFactor: 10, priorityTier: 1, preemptMode: 'REQUEUE', tresBillingWeights: 'CPU=1.0,Mem=0.25G,GRES/gpu=16.0',
      qos: null, allowQos: ['ALL'], maxTime: 172800, defaultTime: 3600, totalCpus: 64, totalNodes: 5, nodesExpr: 'gpu-a100-[01-03],gpu-v100-[01-02]',
    });
    expect(p.get('gpu')?.nodes).toEqual(['gpu-a100-01', 'gpu-a100-02', 'gpu-a100-03', 'gpu-v100-01', 'gpu-v100-02']);
    expect(p.get('cpu')).toMatchObject({ maxTime: 604800, nodes: ['cpu-01', 'cpu-02', 'cpu-03'], tresBillingWeights: 'CPU=1.0,Mem=0.25G' });
  });

  it('scontrol-reservation.txt: two future reservations (created by hand for the fixture)', () => {
    const { items, errors } = parseScontrolReservations(fixture(V, 'scontrol-reservation.txt'), TZ);
    expect(errors).toEqual([]);
    expect(items[0]).toEqual({
      name: 'fixture-maint', start: 1798287643, end: 1798294843, nodesExpr: 'gpu-a100-03', nodes: ['gpu-a100-03'], flags: ['MAINT', 'IGNORE_JOBS', 'SPEC_NODES'],
      users: ['root'], accounts: [], partition: null, tres: 'cpu=16', state: 'INACTIVE',
    });
    expect(items[1]).toMatchObject({ name: 'fixture-vision', nodes: ['gpu-v100-01', 'gpu-v100-02'], accounts: ['vision', 'nlp'], users: [] });
  });

  it('scontrol-config.txt, sdiag.txt: QOS preemption, nothing private, controller counters', () => {
    const config = parseScontrolConfig(fixture(V, 'scontrol-config.txt'));
    expect(config).toMatchObject({ clusterName: 'alpha', slurmVersion: '22.05.8', preemptType: 'preempt/qos', preemptMode: 'REQUEUE', privateData: [], slurmctldParameters: [] });
    expect(config.values.get('AccountingStorageType')).toBe('accounting_storage/slurmdbd');
    const health = parseSdiag(fixture(V, 'sdiag.txt'));
    expect(health).toMatchObject({
      statsSince: 1795695315, serverThreadCount: 3, agentQueueSize: 0, jobsSubmitted: 81, jobsStarted: 60, jobsCompleted: 12, jobsFailed: 0,
      mainSchedulerLastCycleUs: 353, mainSchedulerMeanCycleUs: 1160, backfillLastCycleUs: 932, backfillMeanCycleUs: 963,
    });
    expect(health.rpcByType[0]).toEqual({ name: 'REQUEST_PARTITION_INFO', count: 904, totalTimeUs: 304795 });
    expect(health.rpcByUser.map((u) => u.user)).toContain('opsoper');
  });

  it('sacct.txt: every run of the preempted and requeued jobs, no Restarts column on 22.05', () => {
    const fields = sacctFields(parseSlurmVersion(fixture(V, 'sinfo-V.txt')), parseSacctHelpformat(fixture(V, 'sacct-helpformat.txt')));
    expect(fields).not.toContain('Restarts');
    const { items, errors, summary } = parseSacct(fixture(V, 'sacct.txt'), TZ);
    expect(errors).toEqual([]);
    expect(summary.rows).toBe(110);
    expect(summary.ignoredColumns).toEqual([]);
    const runs = (id: number) => items.filter((r) => r.jobIdRaw === id);
    expect(runs(1082).map((r) => r.state)).toEqual(['PREEMPTED', 'PENDING']);
    expect(runs(1082)[0]).toMatchObject({ nodes: ['gpu-a100-01'], startTime: 1795695529, endTime: 1795695530, elapsed: 1, restarts: null, timeLimit: 21600 });
    expect(runs(1082)[0]?.allocTres).toMatchObject({ gpu: 4, gpuByType: { a100: 4 }, billing: 36, cpu: 8 });
    expect(runs(1082)[1]).toMatchObject({ submitTime: 1795695530, eligibleTime: 1795695561, startTime: null, nodes: [], nodesExpr: null });
    expect(runs(1081).map((r) => r.state)).toEqual(['REQUEUED', 'RUNNING']);
    expect(runs(1080)[0]).toMatchObject({ state: 'CANCELLED', stateDetail: '1004', user: 'alice' });
    expect(runs(1079)[0]).toMatchObject({ state: 'TIMEOUT', elapsed: 85, timeLimit: 60 });
    expect(runs(1078)[0]?.exitCode).toEqual({ code: 3, signal: 0 });
  });

  it('sacct-iso.txt: local ISO times read in the cluster zone give the same instants as epoch output', () => {
    const epoch = parseSacct(fixture(V, 'sacct.txt'), TZ).items;
    const iso = parseSacct(fixture(V, 'sacct-iso.txt'), TZ);
    expect(iso.errors).toEqual([]);
    const key = (r: (typeof epoch)[number]) => `${r.jobIdRaw}@${r.submitTime}`;
    const isoRuns = new Map(iso.items.map((r) => [key(r), r]));
    const finished = epoch.filter((r) => r.endTime !== null);
    expect(finished.length).toBeGreaterThan(80);
    for (const r of finished) expect(isoRuns.get(key(r)), key(r)).toEqual(r);
  });

  it('sshare.txt: the account tree from indentation', () => {
    const { items, errors } = parseSshare(fixture(V, 'sshare.txt'));
    expect(errors).toEqual([]);
    expect(items[0]).toMatchObject({ account: 'root', user: null, depth: 0, parent: null, rawUsage: 94047, normShares: 0 });
    expect(items.find((r) => r.account === 'inference' && r.user === 'bob')).toMatchObject({ depth: 3, parent: 'inference', rawUsage: 14629, fairShare: 0.75, levelFs: 1 });
    expect(items.find((r) => r.account === 'inference' && r.user === null)).toMatchObject({ depth: 2, parent: 'production' });
    expect(items.find((r) => r.account === 'ops' && r.user === 'opsoper')?.levelFs).toBe(Number.POSITIVE_INFINITY);
    expect(items.find((r) => r.account === 'nlp' && r.user === null)?.parent).toBe('research');
  });

  it('sprio.txt (no account column on 22.05) and sacctmgr-user-*.txt', () => {
    const { items, errors } = parseSprio(fixture(V, 'sprio.txt'), sprioColumns(false));
    expect(errors).toEqual([]);
    expect(items.map((r) => r.jobIdRaw)).toEqual([1082, 1084, 1085, 1096, 1097]);
    expect(items[1]).toEqual({ jobIdRaw: 1084, user: 'bob', account: null, partition: 'gpu', priority: 9008, age: 1, fairshare: 7500, jobSize: 7, partitionFactor: 1000, qos: 500, site: 0, tres: null });
    expect(parseSacctmgrUser(fixture(V, 'sacctmgr-user-opscoord.txt'))).toEqual({ user: 'opscoord', defaultAccount: 'nlp', adminLevel: 'None', coordinatorOf: ['nlp'], accounts: ['nlp'] });
    expect(parseSacctmgrUser(fixture(V, 'sacctmgr-user-opsoper.txt'))?.adminLevel).toBe('Operator');
    expect(parseSacctmgrUser(fixture(V, 'sacctmgr-user-opsuser.txt'))).toMatchObject({ adminLevel: 'None', coordinatorOf: [] });
  });
});
