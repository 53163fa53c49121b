import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../../electron/core/ssh/backoff';

describe('backoffDelay', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    const noJitter = { ...DEFAULT_BACKOFF, jitter: 0 };
    expect([0, 1, 2, 3, 4, 5, 6, 7, 10, 50].map((a) => backoffDelay(a, noJitter))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('jitter only shortens the nominal delay, down to (1 - jitter) of it', () => {
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0)).toBe(8_000);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.999999)).toBe(4_000);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.5)).toBe(6_000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(20, DEFAULT_BACKOFF);
      expect(d).toBeGreaterThanOrEqual(30_000);
      expect(d).toBeLessThanOrEqual(60_000);
    }
  });

  it('spreads clients that retry at the same attempt', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, DEFAULT_BACKOFF)));
    expect(delays.size).toBeGreaterThan(40);
  });

  it('clamps a random source outside [0, 1) and refuses a bad attempt number', () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 7)).toBe(500);
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => -1)).toBe(1_000);
    expect(() => backoffDelay(-1)).toThrow(RangeError);
    expect(() => backoffDelay(1.5)).toThrow(RangeError);
  });
});
