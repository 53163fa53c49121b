import { describe, expect, it } from 'vitest';
import { epochOrNull, FieldError, minutesLimit, nameList, numberOr, numberOrNull, readNumber, requiredInteger } from '../../../../../shared/slurm/json/values';

describe('JSON number encodings', () => {
  it('reads {set, infinite, number}: unset and unlimited are not numbers', () => {
    expect(readNumber({ set: true, infinite: false, number: 42 }, 'f')).toEqual({ kind: 'value', value: 42 });
    expect(readNumber({ set: false, infinite: false, number: 0 }, 'f')).toEqual({ kind: 'unset' });
    expect(readNumber({ set: false, infinite: true, number: 0 }, 'f')).toEqual({ kind: 'infinite' });
    // infinite wins even if set is (wrongly) true: Slurm never means a number then.
    expect(readNumber({ set: true, infinite: true, number: 5 }, 'f')).toEqual({ kind: 'infinite' });
  });

  it('reads plain numbers, null, digit strings, and C sentinels leaking into plain fields', () => {
    expect(numberOrNull(7, 'f')).toBe(7);
    expect(numberOrNull(null, 'f')).toBeNull();
    expect(numberOrNull(undefined, 'f')).toBeNull();
    expect(numberOrNull('12', 'f')).toBe(12);
    expect(readNumber(4294967294, 'f').kind).toBe('unset'); // NO_VAL, e.g. sacct time.start of a run that never started
    expect(readNumber(4294967295, 'f').kind).toBe('infinite'); // INFINITE
    // NO_VAL64 (18446744073709551614) and INFINITE64 both parse to 2^64 in a double.
    expect(readNumber(JSON.parse('18446744073709551614') as number, 'f').kind).toBe('infinite');
    expect(readNumber(-2, 'f').kind).toBe('unset');
    // 16-bit markers are real values in 32-bit fields.
    expect(numberOrNull(65534, 'cpus')).toBe(65534);
  });

  it('maps times and limits the way the model wants them', () => {
    expect(epochOrNull(0, 't')).toBeNull();
    expect(epochOrNull({ set: true, infinite: false, number: 0 }, 't')).toBeNull();
    expect(epochOrNull({ set: true, infinite: false, number: 1762788927 }, 't')).toBe(1762788927);
    expect(minutesLimit({ set: true, infinite: false, number: 2880 }, 'l')).toBe(172800);
    expect(minutesLimit({ set: false, infinite: true, number: 0 }, 'l')).toBeNull();
    expect(minutesLimit(4294967295, 'l')).toBeNull();
    expect(numberOr({ set: false, infinite: false, number: 3 }, 'n', 0)).toBe(0);
  });

  it('refuses what is not a number, naming the field', () => {
    expect(() => requiredInteger(undefined, 'job_id')).toThrow(FieldError);
    expect(() => requiredInteger(1.5, 'job_id')).toThrow(/not a non-negative integer/);
    expect(() => readNumber(Number.NaN, 'x')).toThrow(FieldError);
    try {
      requiredInteger({ set: false, infinite: false, number: 0 }, 'submit_time');
    } catch (err) {
      expect((err as FieldError).field).toBe('submit_time');
    }
  });

  it('reads name lists as arrays (v0.0.39+) or comma-separated strings (v0.0.38)', () => {
    expect(nameList(['gpu', 'gpu-low'])).toEqual(['gpu', 'gpu-low']);
    expect(nameList('a100,nvlink')).toEqual(['a100', 'nvlink']);
    expect(nameList('')).toEqual([]);
    expect(nameList(null)).toEqual([]);
  });
});
