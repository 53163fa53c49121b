import { describe, expect, it } from 'vitest';
import { parseDuration, timeLimitSeconds } from '../../../../../shared/slurm/parse/duration';
import { SlurmParseError } from '../../../../../shared/slurm/parse/errors';
import { expectTypedOutcome, mutations, randomString, rng } from './fuzz';

describe('parseDuration', () => {
  it('reads every form Slurm prints', () => {
    expect(parseDuration('2-00:00:00')).toBe(172800);
    expect(parseDuration('1-02:03:04')).toBe(93784);
    expect(parseDuration('12:34:56')).toBe(45296);
    expect(parseDuration('30:00')).toBe(1800);
    expect(parseDuration('0:05')).toBe(5);
    expect(parseDuration('90')).toBe(5400);
    expect(parseDuration('3-12')).toBe(3 * 86400 + 12 * 3600);
    expect(parseDuration('3-12:30')).toBe(3 * 86400 + 12 * 3600 + 30 * 60);
    expect(parseDuration('00:01.234')).toBeCloseTo(1.234, 6);
    expect(parseDuration('365-00:00:00')).toBe(365 * 86400);
  });

  it('keeps Slurm words apart from numbers', () => {
    expect(parseDuration('UNLIMITED')).toBe('UNLIMITED');
    expect(parseDuration('INFINITE')).toBe('UNLIMITED');
    expect(parseDuration('Partition_Limit')).toBe('PARTITION_LIMIT');
    expect(parseDuration('NOT_SET')).toBe('UNSET');
    expect(parseDuration('INVALID')).toBe('UNSET');
    expect(parseDuration('')).toBe('UNSET');
  });

  it('maps to the model: null is UNLIMITED, the partition limit comes from the caller', () => {
    expect(timeLimitSeconds(parseDuration('UNLIMITED'))).toBeNull();
    expect(timeLimitSeconds(parseDuration('Partition_Limit'), 3600)).toBe(3600);
    expect(timeLimitSeconds(parseDuration('1:00:00'))).toBe(3600);
  });

  it('refuses malformed and out-of-range fields', () => {
    for (const bad of ['1:2:3:4', '12:60', '1-24:00:00', '1-', '-5', 'abc', '1:60:00', '01:02.5:03', '1.5', 'unlimited', '1--1', 'constructor', '__proto__']) {
      expect(() => parseDuration(bad), bad).toThrow(SlurmParseError);
    }
  });

  it('never crashes and never returns a negative or non-finite number (fuzz)', () => {
    const next = rng(13);
    const inputs = [...Array.from({ length: 3000 }, () => randomString(next, 16, '0123456789:-.UNLIMTEDxs ')), ...mutations('12-23:59:59', next, 300)];
    expectTypedOutcome(inputs, parseDuration, (d) => {
      if (typeof d === 'number') expect(Number.isFinite(d) && d >= 0).toBe(true);
    });
  });
});
