import { describe, expect, it } from 'vitest';
import { nodeCanTakeWork, nodeGpuTotals, nodeStateLabel } from '../../../../../shared/model/node';
import { SlurmJsonError } from '../../../../../shared/slurm/json/errors';
import { normaliseSinfoNodesJson, normaliseSinfoPartitionsJson } from '../../../../../shared/slurm/json/sinfo';
import { testbed } from './fixtures';

describe('normaliseSinfoNodesJson (22.05: one record per node)', () => {
  it('reads states, flags, drain reasons and GPUs per type', () => {
    const r = normaliseSinfoNodesJson(testbed('22.05', 'sinfo.json'));
    expect(r.version.family.id).toBe('v0.0.38');
    expect(r.items.map((n) => `${n.name}:${nodeStateLabel(n)}`)).toEqual([
      'cpu-01:mixed',
      'cpu-02:allocated',
      'cpu-03:idle',
      'gpu-a100-01:mixed',
      'gpu-a100-02:mixed',
      'gpu-a100-03:drained',
      'gpu-v100-01:mixed',
      'gpu-v100-02:mixed',
    ]);
    const drained = r.items.find((n) => n.name === 'gpu-a100-03');
    expect(drained).toMatchObject({ state: 'IDLE', flags: ['DRAIN'], reason: 'xid 79: GPU fell off the bus', reasonUser: 'root', reasonTime: 1795695529, features: ['a100', 'nvlink'] });
    expect(nodeCanTakeWork(drained!)).toBe(false);
    const byType: Record<string, { total: number; used: number }> = {};
    for (const n of r.items) for (const g of n.gpus) byType[g.type ?? '?'] = { total: (byType[g.type ?? '?']?.total ?? 0) + g.total, used: (byType[g.type ?? '?']?.used ?? 0) + g.used };
    expect(byType).toEqual({ a100: { total: 12, used: 6 }, v100: { total: 4, used: 4 } });
    expect(r.items.find((n) => n.name === 'gpu-a100-02')?.gpus).toEqual([{ type: 'a100', total: 4, used: 2, usedIndices: [0, 1] }]);
    expect(r.items.reduce((a, n) => a + nodeGpuTotals(n).total, 0)).toBe(16);
  });

  it('refuses the grouped layout with a pointer to scontrol show node --json', () => {
    expect(() => normaliseSinfoNodesJson(testbed('24.11', 'sinfo.json'))).toThrow(SlurmJsonError);
    expect(() => normaliseSinfoNodesJson(testbed('24.11', 'sinfo.json'))).toThrow(/scontrol show node --json/);
  });
});

describe('normaliseSinfoPartitionsJson (23.02+: grouped by partition and state)', () => {
  it('gives each partition once, from the groups', () => {
    const r = normaliseSinfoPartitionsJson(testbed('24.11', 'sinfo.json'));
    expect(r.items.map((p) => [p.name, p.priorityTier, p.maxTime, p.defaultTime, p.totalNodes])).toEqual([
      ['preemptible', 1, 172800, 3600, 4],
      ['prod', 10, 604800, 14400, 4],
      ['debug', 5, 1800, 600, 6],
      ['cpu', 5, 86400, 3600, 2],
    ]);
    expect(r.items[0]?.tresBillingWeights).toBe('CPU=0.5,Mem=0.125G,GRES/gpu=2.5');
    expect(r.items[2]?.nodes).toEqual(['cpu-01', 'cpu-02', 'dgx-h100-01', 'dgx-h100-02', 'dgx-h100-03', 'dgx-h100-04']);
  });

  it('refuses 22.05 sinfo, which has no partitions', () => {
    expect(() => normaliseSinfoPartitionsJson(testbed('22.05', 'sinfo.json'))).toThrow(/no partitions/);
  });
});
