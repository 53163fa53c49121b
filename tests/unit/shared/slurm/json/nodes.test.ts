import { describe, expect, it } from 'vitest';
import { nodeCanTakeWork, nodeGpuTotals, nodeStateLabel } from '../../../../../shared/model/node';
import { normaliseScontrolNodeJson } from '../../../../../shared/slurm/json/nodes';
import { dataParserDoc, slurmrestd, testbed } from './fixtures';

describe('normaliseScontrolNodeJson on real slurmrestd output', () => {
  it('v0.0.41 (24.05): a draining node keeps its reason, who set it and when', () => {
    const [node] = normaliseScontrolNodeJson(slurmrestd('24.05', '0.0.41', 'slurm-node-draining.json')).items;
    expect(node).toEqual({
      name: 'cn1',
      state: 'MIXED',
      flags: ['DRAIN'],
      reason: 'ECC memory error',
      reasonUser: 'root',
      reasonTime: 1762858462,
      partitions: ['normal'],
      cpus: { total: 64, allocated: 1 },
      memoryMiB: { total: 131072, allocated: 512 },
      gpus: [],
      features: [],
      otherGres: null,
    });
    expect(nodeStateLabel(node!)).toBe('draining');
    expect(nodeCanTakeWork(node!)).toBe(false);
  });

  it('v0.0.42 (24.11): two GPU types with their indices in use', () => {
    const [node] = normaliseScontrolNodeJson(slurmrestd('24.11', '0.0.42', 'slurm-node-with-gpus-model-allocated.json')).items;
    expect(node?.state).toBe('ALLOCATED');
    expect(node?.gpus).toEqual([
      { type: 'h100', total: 2, used: 2, usedIndices: [0, 1] },
      { type: 'h200', total: 4, used: 4, usedIndices: [2, 3, 4, 5] },
    ]);
    expect(nodeGpuTotals(node!)).toEqual({ total: 6, used: 6 });
  });

  it('v0.0.42 (24.11): a cluster of six nodes: drained, down, completing', () => {
    const r = normaliseScontrolNodeJson(slurmrestd('24.11', '0.0.42', 'slurm-nodes.json'));
    expect(r.items.map((n) => `${n.name}:${nodeStateLabel(n)}`)).toEqual(['cn1:idle', 'cn2:idle', 'cn3:down', 'cn4:drained', 'ia1:idle', 'ia2:idle']);
    expect(r.items.find((n) => n.name === 'ia1')?.flags).toEqual(['COMPLETING']);
    expect(r.items.find((n) => n.name === 'cn3')).toMatchObject({ reason: 'CPU dead', state: 'DOWN' });
    // IDX:N/A: nothing in use, indices known to be none.
    expect(r.items.find((n) => n.name === 'ia2')?.gpus).toEqual([
      { type: 'h100', total: 2, used: 0, usedIndices: [] },
      { type: 'h200', total: 4, used: 0, usedIndices: [] },
    ]);
  });

  it('v0.0.41 on a 24.11 server (--json=v0.0.41) reads the same nodes as v0.0.42', () => {
    const r = normaliseScontrolNodeJson(slurmrestd('24.11', '0.0.41', 'slurm-nodes.json'));
    expect(r.version.family.id).toBe('v0.0.41');
    expect(r.version.slurmRelease).toBe('24.11.5');
    expect(r.errors).toEqual([]);
    expect(r.items.map((n) => n.name)).toEqual(['cn1', 'cn2', 'cn3', 'cn4', 'ia1', 'ia2']);
  });

  it('v0.0.43 (25.05) and v0.0.44 (25.11)', () => {
    const r43 = normaliseScontrolNodeJson(slurmrestd('25.05', '0.0.43', 'slurm-nodes.json'));
    expect(r43.items.filter((n) => n.flags.includes('DRAIN')).map((n) => [n.name, n.reason])).toEqual([['cn3', 'ECC memory error']]);
    const [drained] = normaliseScontrolNodeJson(slurmrestd('25.11', '0.0.44', 'slurm-node-drain.json')).items;
    expect(drained).toMatchObject({ name: 'cn2', state: 'IDLE', flags: ['DRAIN'], reason: 'ECC memory error', reasonUser: 'root', reasonTime: 1762942585 });
    const [mixed] = normaliseScontrolNodeJson(slurmrestd('25.11', '0.0.44', 'slurm-node-with-gpus-model-mixed.json')).items;
    expect(mixed).toMatchObject({ name: 'gpu1', state: 'MIXED', cpus: { total: 32, allocated: 1 }, memoryMiB: { total: 524288, allocated: 1024 } });
    expect(mixed?.gpus).toEqual([{ type: 'h100', total: 4, used: 1, usedIndices: [0] }]);
  });

  it('keeps other GRES in Slurm notation and reads untyped GPUs', () => {
    const r = normaliseScontrolNodeJson(
      dataParserDoc('v0.0.42', { nodes: [{ name: 'n1', state: ['MIXED'], gres: 'gpu:2,shard:8', gres_used: 'gpu:1(IDX:1),shard:0', cpus: 8, alloc_cpus: 2 }] }),
    );
    expect(r.items[0]).toMatchObject({ gpus: [{ type: null, total: 2, used: 1, usedIndices: [1] }], otherGres: 'shard:8' });
  });

  it("throws Slurm's message for a node it does not know", () => {
    expect(() => normaliseScontrolNodeJson(slurmrestd('24.11', '0.0.42', 'slurm-node-unfound.json'))).toThrow(/Failure to query node unexisting-node/);
  });
});

describe('normaliseScontrolNodeJson on the 24.11 test bed', () => {
  it('drained and dead nodes with reasons; GPUs per type', () => {
    const r = normaliseScontrolNodeJson(testbed('24.11', 'scontrol-node.json'));
    expect(r.items.map((n) => `${n.name}:${nodeStateLabel(n)}`)).toEqual([
      'cpu-01:mixed',
      'cpu-02:down*',
      'dgx-h100-01:mixed',
      'dgx-h100-02:mixed',
      'dgx-h100-03:mixed',
      'dgx-h100-04:drained',
    ]);
    expect(r.items.find((n) => n.name === 'dgx-h100-04')).toMatchObject({ reason: 'GPU 2 uncorrectable ECC errors (testbed)', reasonUser: 'root', reasonTime: 1795695528 });
    expect(r.items.find((n) => n.name === 'cpu-02')).toMatchObject({ state: 'DOWN', flags: ['NOT_RESPONDING'], reason: 'slurmd stopped: node dead (testbed)' });
    const gpus = r.items.reduce((a, n) => ({ total: a.total + nodeGpuTotals(n).total, used: a.used + nodeGpuTotals(n).used }), { total: 0, used: 0 });
    expect(gpus).toEqual({ total: 16, used: 12 });
    expect(r.items.find((n) => n.name === 'dgx-h100-01')).toMatchObject({ flags: ['PLANNED'], features: ['gpu', 'h100', 'nvlink'], partitions: ['preemptible', 'prod', 'debug'] });
  });
});
