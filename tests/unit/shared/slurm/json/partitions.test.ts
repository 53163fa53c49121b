import { describe, expect, it } from 'vitest';
import { completePartition, normaliseScontrolPartitionJson } from '../../../../../shared/slurm/json/partitions';
import { slurmrestd } from './fixtures';

describe('normaliseScontrolPartitionJson on real slurmrestd output', () => {
  it('v0.0.41 (24.05): limits in seconds, UNLIMITED and unset as null', () => {
    const r = normaliseScontrolPartitionJson(slurmrestd('24.05', '0.0.41', 'slurm-partitions.json'));
    expect(r.items.map((p) => [p.name, p.maxTime, p.defaultTime, p.totalNodes, p.totalCpus])).toEqual([
      ['batch', null, null, 512, 25856],
      ['debug', 3600, null, 19, 1216],
      ['interactive', 600, null, 1, 64],
      ['ia', 600, null, 40, 1280],
    ]);
    const batch = r.items[0];
    expect(batch?.nodes).toHaveLength(512);
    expect(batch?.nodes.slice(78, 82)).toEqual(['cn079', 'cn080', 'cn101', 'cn102']);
    expect(batch).toMatchObject({ state: 'UP', allowQos: ['ALL'], qos: null, tresBillingWeights: null, priorityTier: 1, priorityJobFactor: 1 });
  });

  it('says what JSON partitions lack, and completes them from the text output', () => {
    const r = normaliseScontrolPartitionJson(slurmrestd('25.11', '0.0.44', 'slurm-partitions.json'));
    expect(r.warnings.some((w) => /neither PreemptMode nor the Default flag/.test(w))).toBe(true);
    const gpu = r.items.find((p) => p.name === 'gpu')!;
    expect(gpu).toMatchObject({ nodesExpr: 'gpu[1-2]', nodes: ['gpu1', 'gpu2'], maxTime: 7200, defaultTime: null });
    expect('preemptMode' in gpu).toBe(false);
    expect(completePartition(gpu, { isDefault: false, preemptMode: 'REQUEUE', state: 'UP' })).toMatchObject({ name: 'gpu', preemptMode: 'REQUEUE', isDefault: false, state: 'UP' });
  });

  it('v0.0.42 (24.11) and v0.0.43 (25.05)', () => {
    expect(normaliseScontrolPartitionJson(slurmrestd('24.11', '0.0.42', 'slurm-partitions.json')).items.map((p) => p.name)).toEqual(['standard', 'ia']);
    expect(normaliseScontrolPartitionJson(slurmrestd('25.05', '0.0.43', 'slurm-partitions.json')).errors).toEqual([]);
  });
});
