import { describe, expect, it } from 'vitest';
import { isoWithOffset } from '../../../../shared/usage/iso-time';

describe('isoWithOffset', () => {
  it('prints the wall time with the zone offset of that instant, across a DST change', () => {
    // 2026-10-25 00:30Z is 02:30 CEST; 01:30Z is 02:30 CET (the repeated hour).
    expect(isoWithOffset(Date.UTC(2026, 9, 25, 0, 30) / 1000, 'Europe/Berlin')).toBe('2026-10-25T02:30:00+02:00');
    expect(isoWithOffset(Date.UTC(2026, 9, 25, 1, 30) / 1000, 'Europe/Berlin')).toBe('2026-10-25T02:30:00+01:00');
    expect(isoWithOffset(Date.UTC(2026, 10, 26) / 1000, 'UTC')).toBe('2026-11-26T00:00:00Z');
    expect(isoWithOffset(Date.UTC(2026, 10, 26) / 1000, 'Asia/Kolkata')).toBe('2026-11-26T05:30:00+05:30');
    expect(isoWithOffset(Date.UTC(2026, 10, 26) / 1000, 'America/St_Johns')).toBe('2026-11-25T20:30:00-03:30');
  });
});
