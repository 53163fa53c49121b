import { describe, expect, it } from 'vitest';
import { SlurmParseError } from '../../../../../shared/slurm/parse/errors';
import { formatSlurmTime, parseSlurmTime } from '../../../../../shared/slurm/parse/time';
import { expectTypedOutcome, mutations, randomString, rng } from './fuzz';

const utc = (iso: string): number => Date.parse(`${iso}Z`) / 1000;

describe('parseSlurmTime', () => {
  it('reads wall-clock times in the cluster zone', () => {
    expect(parseSlurmTime('2025-11-26T11:00:00', 'UTC')).toBe(utc('2025-11-26T11:00:00'));
    expect(parseSlurmTime('2025-11-26T11:00:00', 'Europe/Berlin')).toBe(utc('2025-11-26T10:00:00'));
    expect(parseSlurmTime('2025-07-01T11:00:00', 'Europe/Berlin')).toBe(utc('2025-07-01T09:00:00'));
    expect(parseSlurmTime('2025-07-01T11:00:00', 'America/Los_Angeles')).toBe(utc('2025-07-01T18:00:00'));
    expect(parseSlurmTime('2025-11-26T11:00:00', 'Asia/Kolkata')).toBe(utc('2025-11-26T05:30:00'));
    expect(parseSlurmTime('2025-11-26 11:00:00', 'UTC')).toBe(utc('2025-11-26T11:00:00'));
  });

  it('reads epoch seconds (SLURM_TIME_FORMAT=%s) and the no-time words', () => {
    expect(parseSlurmTime('1764154800', 'Europe/Berlin')).toBe(1764154800);
    for (const none of ['Unknown', 'None', 'N/A', '(null)', '', '0']) expect(parseSlurmTime(none, 'UTC')).toBeNull();
  });

  it('resolves the repeated hour when clocks go back: earlier by default, later on request', () => {
    // Europe/Berlin 2025-10-26: 03:00 CEST -> 02:00 CET, so 02:30 happens at 00:30Z and again at 01:30Z.
    expect(parseSlurmTime('2025-10-26T02:30:00', 'Europe/Berlin')).toBe(utc('2025-10-26T00:30:00'));
    expect(parseSlurmTime('2025-10-26T02:30:00', 'Europe/Berlin', { ambiguous: 'later' })).toBe(utc('2025-10-26T01:30:00'));
    expect(parseSlurmTime('2025-10-26T01:59:59', 'Europe/Berlin')).toBe(utc('2025-10-25T23:59:59'));
    expect(parseSlurmTime('2025-10-26T03:00:00', 'Europe/Berlin')).toBe(utc('2025-10-26T02:00:00'));
  });

  it('reads a skipped wall time (clocks go forward) as mktime does', () => {
    // Europe/Berlin 2025-03-30: 02:00 CET -> 03:00 CEST; 02:30 does not exist and reads as 03:30 CEST.
    expect(parseSlurmTime('2025-03-30T02:30:00', 'Europe/Berlin')).toBe(utc('2025-03-30T01:30:00'));
    expect(parseSlurmTime('2025-03-30T01:59:59', 'Europe/Berlin')).toBe(utc('2025-03-30T00:59:59'));
    expect(parseSlurmTime('2025-03-30T03:00:00', 'Europe/Berlin')).toBe(utc('2025-03-30T01:00:00'));
  });

  it('handles half-hour DST shifts (Australia/Lord_Howe) and southern-hemisphere transitions', () => {
    // Lord Howe: +10:30 standard, +11 summer; 2025-10-05 02:00 -> 02:30.
    expect(parseSlurmTime('2025-10-05T01:59:59', 'Australia/Lord_Howe')).toBe(utc('2025-10-04T15:29:59'));
    expect(parseSlurmTime('2025-10-05T02:30:00', 'Australia/Lord_Howe')).toBe(utc('2025-10-04T15:30:00'));
    expect(parseSlurmTime('2025-10-05T02:45:00', 'Australia/Lord_Howe')).toBe(utc('2025-10-04T15:45:00'));
    expect(parseSlurmTime('2025-01-15T12:00:00', 'Australia/Sydney')).toBe(utc('2025-01-15T01:00:00'));
  });

  it('agrees with the zone for every hour of a year, both ways (property)', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'UTC']) {
      for (let t = utc('2025-01-01T00:00:00'); t < utc('2026-01-01T00:00:00'); t += 3600 + 17) {
        const wall = formatSlurmTime(t, zone);
        const back = parseSlurmTime(wall, zone);
        // Either the same instant, or (in a repeated hour) the other instant with the same wall time.
        if (back !== t) {
          expect(formatSlurmTime(back as number, zone), `${zone} ${wall}`).toBe(wall);
          expect(Math.abs((back as number) - t), `${zone} ${wall}`).toBeLessThanOrEqual(3600);
        }
      }
    }
  });

  it('gives the same instants on repeated hours (cached) as on first sight, around DST too (property)', () => {
    const next = rng(43);
    for (const zone of ['Europe/Berlin', 'Australia/Lord_Howe', 'America/New_York']) {
      const instants = Array.from({ length: 3000 }, () => utc('2025-01-01T00:00:00') + Math.floor(next() * 365 * 86400));
      // Dense around the transitions, where the hour cache must step aside.
      for (const edge of ['2025-03-30T00:00:00', '2025-10-26T00:00:00', '2025-03-09T06:00:00', '2025-11-02T05:00:00', '2025-04-05T14:00:00', '2025-10-04T15:00:00']) {
        for (let k = 0; k < 4 * 3600; k += 450) instants.push(utc(edge) + k);
      }
      for (const pass of [1, 2]) {
        for (const t of instants) {
          const wall = formatSlurmTime(t, zone);
          const back = parseSlurmTime(wall, zone) as number;
          expect(formatSlurmTime(back, zone), `${zone} ${wall} pass ${pass}`).toBe(wall);
          if (back !== t) expect(t - back, `${zone} ${wall}`).toBeGreaterThan(0); // the repeated hour: earlier instant
        }
      }
    }
  });

  it('refuses bad input and unknown zones with a typed error', () => {
    for (const bad of ['2025-13-01T00:00:00', '2025-02-29T00:00:00', '2025-11-26T24:00:00', '2025-11-26T11:00', 'yesterday', '12345', '2025-11-26X11:00:00', 'Tomorr 11:00']) {
      expect(() => parseSlurmTime(bad, 'UTC'), bad).toThrow(SlurmParseError);
    }
    expect(parseSlurmTime('2024-02-29T00:00:00', 'UTC')).toBe(utc('2024-02-29T00:00:00'));
    expect(() => parseSlurmTime('2025-11-26T11:00:00', 'Mars/Olympus')).toThrow(/unknown time zone/);
  });

  it('never crashes on garbage (fuzz)', () => {
    const next = rng(17);
    const inputs = [...Array.from({ length: 3000 }, () => randomString(next, 22, '0123456789-T: ')), ...mutations('2025-11-26T11:00:00', next, 500)];
    expectTypedOutcome(inputs, (s) => parseSlurmTime(s, 'Europe/Berlin'), (t) => {
      if (t !== null) expect(Number.isInteger(t)).toBe(true);
    });
  });

  it('is fast enough for sacct ingest (cached per hour)', () => {
    const start = performance.now();
    let n = 0;
    for (let i = 0; i < 200_000; i++) {
      n += parseSlurmTime(`2025-11-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00`, 'Europe/Berlin') ?? 0;
    }
    expect(n).toBeGreaterThan(0);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
