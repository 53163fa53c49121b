import { describe, expect, it } from 'vitest';
import { LocalDays } from '../../../../shared/usage/local-days';

const utc = (y: number, m: number, d: number, h = 0, mi = 0) => Date.UTC(y, m - 1, d, h, mi) / 1000;

describe('LocalDays', () => {
  it('gives UTC days in UTC', () => {
    const days = new LocalDays('UTC');
    expect(days.dayOf(utc(2025, 11, 24, 23, 59))).toEqual({ day: '2025-11-24', start: utc(2025, 11, 24), end: utc(2025, 11, 25) });
  });

  it('finds local midnights, with 23- and 25-hour days at DST changes', () => {
    const ny = new LocalDays('America/New_York');
    const spring = ny.dayOf(utc(2025, 3, 9, 12));
    expect(spring).toEqual({ day: '2025-03-09', start: utc(2025, 3, 9, 5), end: utc(2025, 3, 10, 4) });
    const autumn = ny.dayOf(utc(2025, 11, 2, 12));
    expect(autumn.end - autumn.start).toBe(25 * 3600);
    // 00:30 local time on Nov 3 is still... Nov 3
    expect(ny.dayOf(utc(2025, 11, 3, 5, 30)).day).toBe('2025-11-03');
    expect(ny.dayOf(utc(2025, 11, 3, 4, 59)).day).toBe('2025-11-02');
  });

  it('handles a zone whose clocks jump at midnight (the day starts at 01:00)', () => {
    const santiago = new LocalDays('America/Santiago');
    const d = santiago.dayOf(utc(2025, 9, 7, 12));
    expect(d.day).toBe('2025-09-07');
    expect(d.end - d.start).toBe(23 * 3600);
  });

  it('handles half-hour zones, where midnight falls inside a UTC hour', () => {
    const india = new LocalDays('Asia/Kolkata');
    expect(india.dayOf(utc(2025, 1, 1, 18, 29)).day).toBe('2025-01-01');
    expect(india.dayOf(utc(2025, 1, 1, 18, 30)).day).toBe('2025-01-02');
  });

  it('splits an interval at local midnights, seconds adding up', () => {
    const ny = new LocalDays('America/New_York');
    const from = utc(2025, 11, 1, 12);
    const to = utc(2025, 11, 3, 12);
    const slices = ny.split(from, to);
    expect(slices).toEqual([
      { day: '2025-11-01', seconds: 16 * 3600 },
      { day: '2025-11-02', seconds: 25 * 3600 },
      { day: '2025-11-03', seconds: 7 * 3600 },
    ]);
    expect(ny.split(to, from)).toEqual([]);
  });

  it('refuses an unknown zone', () => {
    expect(() => new LocalDays('Mars/Olympus_Mons')).toThrow(/zone/);
  });
});
