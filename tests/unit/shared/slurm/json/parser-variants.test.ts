// The same moment of the 24.11 test bed printed by two data_parser versions: the default v0.0.42 and
// v0.0.40 (`--json=v0.0.40`, 23.11's format: arrays for states, {set, infinite, number} numbers, but
// other field sets). Captured back to back (see tests/fixtures/slurm/24.11/json/README.md); both must
// normalise to the same model objects: the family decides only how values are read, never what they mean.
import { describe, expect, it } from 'vitest';
import { normaliseScontrolNodeJson } from '../../../../../shared/slurm/json/nodes';
import { normaliseSacctJson } from '../../../../../shared/slurm/json/sacct';
import { normaliseSqueueJson } from '../../../../../shared/slurm/json/squeue';
import { testbed } from './fixtures';

const pair = (name: string) => ({ v40: testbed('24.11', `${name}.v0.0.40.json`), v42: testbed('24.11', `${name}.v0.0.40.default.json`) });

describe('data_parser v0.0.40 and v0.0.42 on one 24.11 cluster', () => {
  it('squeue', () => {
    const p = pair('squeue');
    const a = normaliseSqueueJson(p.v40);
    const b = normaliseSqueueJson(p.v42);
    expect(a.version).toMatchObject({ family: { id: 'v0.0.40' }, match: 'exact', slurmRelease: '24.11.5' });
    expect(b.version.family.id).toBe('v0.0.42');
    expect(a.errors).toEqual([]);
    expect(a.items.length).toBeGreaterThan(10);
    expect(a.items).toEqual(b.items);
  });

  it('scontrol show node', () => {
    const p = pair('scontrol-node');
    const a = normaliseScontrolNodeJson(p.v40);
    expect(a.version.family.id).toBe('v0.0.40');
    expect(a.items).toHaveLength(6);
    expect(a.items).toEqual(normaliseScontrolNodeJson(p.v42).items);
  });

  it('sacct (v0.0.40 has no restart_cnt: restarts unknown, everything else equal)', () => {
    const p = pair('sacct');
    const a = normaliseSacctJson(p.v40);
    const b = normaliseSacctJson(p.v42);
    expect(a.version.family.id).toBe('v0.0.40');
    expect(a.errors).toEqual([]);
    expect(a.items.every((r) => r.restarts === null)).toBe(true);
    expect(b.items.some((r) => r.restarts === 1)).toBe(true);
    // Running jobs' elapsed time moved on between the two commands.
    const stable = (items: typeof a.items) => items.map((r) => ({ ...r, restarts: null, elapsed: r.endTime === null ? 0 : r.elapsed }));
    expect(stable(a.items)).toEqual(stable(b.items));
  });
});
