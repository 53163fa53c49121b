// The alert thresholds form model: editing one level replaces only that level's override, empty fields
// inherit, rule switches are kept only when set, and bad numbers are refused with the field's label.
import { describe, expect, it } from 'vitest';
import { validateOverride } from '../../../../../shared/alerts/params';
import { fieldsOf, overrideAt, THRESHOLD_FIELDS, withLevel, type NumericKey, type Settings } from '../../../../../renderer/src/views/settings/alert-thresholds-model';

const empty = () => Object.fromEntries(THRESHOLD_FIELDS.map((f) => [f.key, ''])) as Record<NumericKey, string>;
const base: Settings = { global: { outOfServiceMinutes: 10 }, clusters: { alpha: { params: { idleUtilPct: 3 }, partitions: { gpu: { strandedMinutes: 2 } } } } };

describe('alert thresholds form model', () => {
  it('reads each level on its own', () => {
    expect(fieldsOf(overrideAt(base, { cluster: null, partition: null })).outOfServiceMinutes).toBe('10');
    expect(fieldsOf(overrideAt(base, { cluster: 'alpha', partition: null })).idleUtilPct).toBe('3');
    expect(fieldsOf(overrideAt(base, { cluster: 'alpha', partition: 'gpu' })).strandedMinutes).toBe('2');
    expect(fieldsOf(overrideAt(base, { cluster: 'beta', partition: null })).idleUtilPct).toBe('');
  });

  it('replaces only the edited level; empty fields are dropped, switches kept when set', () => {
    const next = withLevel(base, { cluster: 'alpha', partition: 'gpu' }, { ...empty(), idleMinutes: '45' }, { 'partition-underused': false, 'stranded-gpus': undefined });
    expect(next.clusters.alpha).toEqual({ params: { idleUtilPct: 3 }, partitions: { gpu: { idleMinutes: 45, enabled: { 'partition-underused': false } } } });
    expect(next.global).toEqual({ outOfServiceMinutes: 10 });
    expect(base.clusters.alpha?.partitions?.gpu).toEqual({ strandedMinutes: 2 }); // not mutated
    const cluster = withLevel(base, { cluster: 'beta', partition: null }, { ...empty(), staleMinutes: '30' }, {});
    expect(cluster.clusters.beta).toEqual({ params: { staleMinutes: 30 } });
    expect(validateOverride(cluster.clusters.beta?.params ?? {}, 'beta')).toEqual([]);
  });

  it('refuses what is not a number ≥ 0, naming the field', () => {
    expect(() => withLevel(base, { cluster: null, partition: null }, { ...empty(), idleUtilPct: 'ten' }, {})).toThrow(/Idle at or below: "ten"/);
    expect(() => withLevel(base, { cluster: null, partition: null }, { ...empty(), idleMinutes: '-1' }, {})).toThrow(/Idle for at least/);
  });
});
