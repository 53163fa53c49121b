import { describe, expect, it } from 'vitest';
import { parseTypedTime, snapshotFor } from '../../../../renderer/src/time-travel/parse-time';

// Local times depend on the zone the tests run in; build expectations with the same local Date maths.
const now = Math.floor(new Date(2026, 10, 26, 14, 30, 0).getTime() / 1000);
const local = (...a: [number, number, number, number, number]) => Math.floor(new Date(...a).getTime() / 1000);

describe('parseTypedTime', () => {
  it('reads relative times', () => {
    expect(parseTypedTime('3h ago', now)).toEqual({ ok: true, at: now - 3 * 3600 });
    expect(parseTypedTime('-90m', now)).toEqual({ ok: true, at: now - 5400 });
    expect(parseTypedTime('2d', now)).toEqual({ ok: true, at: now - 2 * 86400 });
    expect(parseTypedTime('1.5 h ago', now)).toEqual({ ok: true, at: now - 5400 });
  });

  it('reads a time of day as today, or yesterday when it is still ahead', () => {
    expect(parseTypedTime('14:05', now)).toEqual({ ok: true, at: local(2026, 10, 26, 14, 5) });
    expect(parseTypedTime('15:00', now)).toEqual({ ok: true, at: local(2026, 10, 25, 15, 0) });
    expect(parseTypedTime('24:00', now)).toMatchObject({ ok: false, error: '24:00 is not a time of day' });
  });

  it('reads local date-times, ISO times with a zone, and epoch seconds', () => {
    expect(parseTypedTime('2026-11-25 09:15', now)).toEqual({ ok: true, at: local(2026, 10, 25, 9, 15) });
    expect(parseTypedTime('2026-11-25', now)).toEqual({ ok: true, at: local(2026, 10, 25, 0, 0) });
    expect(parseTypedTime('2026-11-25T09:15:00Z', now)).toEqual({ ok: true, at: Date.UTC(2026, 10, 25, 9, 15) / 1000 });
    expect(parseTypedTime('2026-11-25T09:15+02:00', now)).toEqual({ ok: true, at: Date.UTC(2026, 10, 25, 7, 15) / 1000 });
    expect(parseTypedTime('1764000000', now)).toEqual({ ok: true, at: 1764000000 });
  });

  it('refuses what it cannot read, saying what it understands', () => {
    expect(parseTypedTime('2026-02-30 10:00', now)).toMatchObject({ ok: false, error: expect.stringContaining('not a real date') });
    expect(parseTypedTime('yesterday-ish', now)).toMatchObject({ ok: false, error: expect.stringContaining('type a time like') });
    expect(parseTypedTime('', now).ok).toBe(false);
  });
});

describe('snapshotFor', () => {
  it('picks the newest snapshot at or before the wanted time', () => {
    expect(snapshotFor([100, 300, 200], 250)).toBe(200);
    expect(snapshotFor([100, 300, 200], 300)).toBe(300);
    expect(snapshotFor([100], 50)).toBeNull();
  });
});
