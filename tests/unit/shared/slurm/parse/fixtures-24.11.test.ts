// Parsers on real Slurm 24.11.5 outputs (test-bed cluster beta, after scenario.sh --wait). Every value
// asserted here was read by eye in the fixture file named in the test.
import { describe, expect, it } from 'vitest';
import { nodeCanTakeWork, nodeStateLabel, type SlurmNode } from '../../../../../shared/model/node';
import { sacctFields, sprioHasAccount } from '../../../../../shared/slurm/commands';
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

const V = '24.11';
const TZ = { timeZone: 'UTC' };
const byName = <T extends { name: string }>(items: T[]): Map<string, T> => new Map(items.map((i) => [i.name, i]));

describe('Slurm 24.11 fixtures', () => {
  it('scontrol-node.txt: MIXED+PLANNED, a drained H100 node with its reason, a dead CPU node without GresUsed', () => {
    const { items, errors } = parseScontrolNodes(fixture(V, 'scontrol-node.txt'), TZ);
    expect(errors).toEqual([]);
    const nodes = byName(items);
    expect([...nodes.keys()].sort()).toEqual(['cpu-01', 'cpu-02', 'dgx-h100-01', 'dgx-h100-02', 'dgx-h100-03', 'dgx-h100-04']);
    const drained = nodes.get('dgx-h100-04') as SlurmNode;
    expect(drained).toMatchObject({ state: 'IDLE', flags: ['DRAIN'], reason: 'GPU 2 uncorrectable ECC errors (testbed)', reasonUser: 'root', reasonTime: 1795695528 });
    expect(drained.gpus).toEqual([{ type: 'h100', total: 4, used: 0, usedIndices: [] }]);
    expect(nodeCanTakeWork(drained)).toBe(false);
    expect(nodes.get('cpu-02')).toMatchObject({ state: 'DOWN', flags: ['NOT_RESPONDING'], reason: 'slurmd stopped: node dead (testbed)', gpus: [], otherGres: null });
    expect(nodeStateLabel(nodes.get('cpu-02') as SlurmNode)).toBe('down*');
    const busy = nodes.get('dgx-h100-01') as SlurmNode;
    expect(busy).toMatchObject({ state: 'MIXED', flags: ['PLANNED'], cpus: { total: 32, allocated: 8 }, memoryMiB: { total: 256000, allocated: 16000 }, partitions: ['preemptible', 'prod', 'debug'], features: ['gpu', 'h100', 'nvlink'] });
    expect(busy.gpus).toEqual([{ type: 'h100', total: 4, used: 4, usedIndices: [0, 1, 2, 3] }]);
    expect(nodeCanTakeWork(busy)).toBe(true);
  });

  it('sinfo-node.txt: agrees with scontrol on the nodes', () => {
    const { items, errors } = parseSinfoNodes(fixture(V, 'sinfo-node.txt'), TZ);
    expect(errors).toEqual([]);
    const nodes = byName(items);
    expect(nodes.get('dgx-h100-01')).toMatchObject({ state: 'MIXED', flags: ['PLANNED'], cpus: { total: 32, allocated: 8 } });
    // One sinfo row per partition, merged; the default partition's `*` dropped.
    expect(nodes.get('dgx-h100-01')?.partitions.sort()).toEqual(['debug', 'preemptible', 'prod']);
    expect(nodes.get('cpu-02')).toMatchObject({ state: 'DOWN', reason: 'slurmd stopped: node dead (testbed)', reasonUser: 'root', reasonTime: 1795695528 });
  });

  it('squeue.txt: 24.11 tres-per-node form, throttled pending array, preempted jobs pending again', () => {
    const { items, errors } = parseSqueue(fixture(V, 'squeue.txt'), TZ);
    expect(errors).toEqual([]);
    expect(items).toHaveLength(16);
    const job = (id: string) => items.find((j) => j.jobId === id);
    expect(job('107_[3-6%2]')).toMatchObject({ jobIdRaw: 107, arrayJobId: 107, arrayTaskId: null, arrayTaskRange: '3-6%2', reason: 'JobArrayTaskLimit', startTime: null });
    expect(job('107_1')).toMatchObject({ jobIdRaw: 114, arrayTaskId: 1, state: 'RUNNING', nodes: ['cpu-01'] });
    expect(job('111')).toMatchObject({ state: 'PENDING', reason: 'Resources', restarts: 1, gpusPerNode: 4, gpuType: 'h100', partition: 'preemptible' });
    expect(job('116')).toMatchObject({ state: 'RUNNING', qos: 'high', partition: 'prod', nodes: ['dgx-h100-01'], startTime: 1795695531 });
    expect(job('116')?.tresAlloc).toMatchObject({ gpu: 4, gpuByType: { h100: 4 }, billing: 51, memMiB: 16000 });
    expect(job('120')?.dependency).toBe('afterok:116(unfulfilled)');
    expect(job('122')?.reason).toBe('JobHeldAdmin');
    expect(job('110')).toMatchObject({ restarts: 1, state: 'RUNNING' });
  });

  it('scontrol-job.txt: AllocTRES (24.11 name) and GPU indices', () => {
    const { items, errors } = parseScontrolJobs(fixture(V, 'scontrol-job.txt'));
    expect(errors).toEqual([]);
    expect(items).toHaveLength(123);
    const j = items.find((x) => x.jobIdRaw === 113);
    expect(j).toMatchObject({ name: 'finetune-c', user: 'bob', account: 'inference', state: 'RUNNING' });
    expect(j?.allocTres).toMatchObject({ gpu: 4, gpuByType: { h100: 4 } });
    expect(j?.allocations[0]).toMatchObject({ nodesExpr: 'dgx-h100-03', cpuIds: '0-7', memMiB: 16000 });
    expect(j?.allocations[0]?.gres[0]).toMatchObject({ type: 'h100', count: 4, indices: [0, 1, 2, 3] });
    expect(items.find((x) => x.jobIdRaw === 111)).toMatchObject({ restarts: 1, state: 'PENDING' });
  });

  it('scontrol-partition.txt: partition-priority preemption tiers', () => {
    const { items, errors } = parseScontrolPartitions(fixture(V, 'scontrol-partition.txt'));
    expect(errors).toEqual([]);
    const p = byName(items);
    expect(p.get('preemptible')).toMatchObject({ isDefault: true, priorityTier: 1, preemptMode: 'REQUEUE', tresBillingWeights: 'CPU=0.5,Mem=0.125G,GRES/gpu=2.5', maxTime: 172800, totalNodes: 4 });
    expect(p.get('prod')).toMatchObject({ priorityTier: 10, preemptMode: 'OFF', maxTime: 604800, defaultTime: 14400 });
    expect(p.get('debug')).toMatchObject({ maxTime: 1800, defaultTime: 600, nodes: ['cpu-01', 'cpu-02', 'dgx-h100-01', 'dgx-h100-02', 'dgx-h100-03', 'dgx-h100-04'] });
  });

  it('scontrol-reservation.txt: a Comment with spaces and a comma (24.11 has Comment)', () => {
    const { items, errors } = parseScontrolReservations(fixture(V, 'scontrol-reservation.txt'), TZ);
    expect(errors).toEqual([]);
    expect(items[0]).toMatchObject({ name: 'fixture-maint', start: 1798287644, end: 1798294844, nodes: ['dgx-h100-04'], flags: ['MAINT', 'IGNORE_JOBS', 'SPEC_NODES'], state: 'INACTIVE', tres: 'cpu=32' });
    expect(items[1]).toMatchObject({ name: 'fixture-vision', nodesExpr: 'dgx-h100-[01-02]', accounts: ['vision', 'nlp'] });
  });

  it('scontrol-config.txt and sdiag.txt', () => {
    expect(parseScontrolConfig(fixture(V, 'scontrol-config.txt'))).toMatchObject({ clusterName: 'beta', slurmVersion: '24.11.5', preemptType: 'preempt/partition_prio', preemptMode: 'REQUEUE', privateData: [] });
    const h = parseSdiag(fixture(V, 'sdiag.txt'));
    expect(h).toMatchObject({ statsSince: 1795694556, serverThreadCount: 1, jobsSubmitted: 69, jobsStarted: 44, jobsCompleted: 15, mainSchedulerLastCycleUs: 175, mainSchedulerMeanCycleUs: 1336, backfillLastCycleUs: 701, backfillMeanCycleUs: 753 });
    expect(h.rpcByType[1]).toEqual({ name: 'REQUEST_JOB_INFO', count: 331, totalTimeUs: 145105 });
    expect(h.rpcByUser[0]).toEqual({ user: 'opsuser', count: 590, totalTimeUs: 162716 });
    expect(h.rpcByUser).toHaveLength(6);
  });

  it('sacct.txt: Restarts per run (24.11), preempted runs, CANCELLED by uid, a TIMEOUT with 0:0', () => {
    const fields = sacctFields(parseSlurmVersion(fixture(V, 'sinfo-V.txt')), parseSacctHelpformat(fixture(V, 'sacct-helpformat.txt')));
    expect(fields).toContain('Restarts');
    const { items, errors, summary } = parseSacct(fixture(V, 'sacct.txt'), TZ);
    expect(errors).toEqual([]);
    expect(summary.rows).toBe(124);
    const runs = (id: number) => items.filter((r) => r.jobIdRaw === id);
    expect(runs(111).map((r) => [r.state, r.restarts])).toEqual([['PREEMPTED', 0], ['PENDING', 1]]);
    expect(runs(111)[0]).toMatchObject({ nodes: ['dgx-h100-01'], elapsed: 1, partition: 'preemptible' });
    expect(runs(111)[0]?.allocTres).toMatchObject({ gpu: 4, gpuByType: { h100: 4 }, billing: 15 });
    expect(runs(110).map((r) => [r.state, r.restarts])).toEqual([['REQUEUED', 0], ['RUNNING', 1]]);
    expect(runs(109)[0]).toMatchObject({ state: 'CANCELLED', stateDetail: '1001', exitCode: { code: 0, signal: 0 } });
    expect(runs(104)[0]).toMatchObject({ state: 'TIMEOUT', exitCode: { code: 0, signal: 0 }, elapsed: 78, timeLimit: 60 });
    // Preempted, then cancelled while pending again: the second run never started (Start is `None`).
    expect(runs(92).map((r) => r.state)).toEqual(['PREEMPTED', 'CANCELLED']);
    expect(runs(92)[1]).toMatchObject({ stateDetail: '0', startTime: null, endTime: 1795695527, nodes: [], restarts: 1, submitTime: 1795695156 });
  });

  it('sacct-iso.txt: same instants as the epoch output', () => {
    const epoch = parseSacct(fixture(V, 'sacct.txt'), TZ).items;
    const iso = parseSacct(fixture(V, 'sacct-iso.txt'), TZ);
    expect(iso.errors).toEqual([]);
    const key = (r: (typeof epoch)[number]) => `${r.jobIdRaw}@${r.submitTime}`;
    const isoRuns = new Map(iso.items.map((r) => [key(r), r]));
    const finished = epoch.filter((r) => r.endTime !== null);
    expect(finished.length).toBeGreaterThan(90);
    for (const r of finished) expect(isoRuns.get(key(r)), key(r)).toEqual(r);
  });

  it('sshare.txt, sprio.txt (with account on 24.11), sacctmgr-user-*.txt', () => {
    const shares = parseSshare(fixture(V, 'sshare.txt'));
    expect(shares.errors).toEqual([]);
    expect(shares.items[0]).toMatchObject({ account: 'root', depth: 0, rawUsage: 205772 });
    expect(shares.items.find((r) => r.user === 'opsuser')).toMatchObject({ account: 'vision', depth: 3, parent: 'vision' });
    expect(shares.items.find((r) => r.account === 'vision' && r.user === null)?.parent).toBe('research');
    expect(sprioHasAccount(parseSlurmVersion('24.11.5'))).toBe(true);
    const prio = parseSprio(fixture(V, 'sprio.txt'), sprioColumns(true));
    expect(prio.errors).toEqual([]);
    expect(prio.items[3]).toEqual({ jobIdRaw: 119, user: 'bob', account: 'inference', partition: 'preemptible', priority: 3802, age: 0, fairshare: 1667, jobSize: 11, partitionFactor: 2000, qos: 0, site: 0, tres: 'gres/gpu=125' });
    expect(parseSacctmgrUser(fixture(V, 'sacctmgr-user-opscoord.txt'))?.coordinatorOf).toEqual(['nlp']);
    expect(parseSacctmgrUser(fixture(V, 'sacctmgr-user-opsoper.txt'))).toMatchObject({ adminLevel: 'Operator', defaultAccount: 'ops' });
  });
});
