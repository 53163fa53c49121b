// Slurm timestamps. Slurm prints local wall-clock times of the machine it runs on (`2025-11-26T11:00:00`,
// no zone), so reading them needs the cluster's IANA zone; with `SLURM_TIME_FORMAT=%s` it prints epoch
// seconds instead. The zone arithmetic uses only `Intl.DateTimeFormat` (no Node or DOM): the offset at an
// instant comes from formatting that instant in the zone, and a wall time is resolved by trying the
// offsets in force a day before and a day after it (no real zone changes offset twice within two days).
//
// DST: a wall time that occurs twice (the hour repeated when clocks go back) is ambiguous in Slurm's own
// output; we take the earlier instant unless told otherwise. A wall time that does not exist (skipped when
// clocks go forward) cannot come from Slurm's output, but can from a hand-edited file: like mktime(3), we
// read it with the offset before the jump, which lands the same distance after it (02:30 → 03:30).
import { SlurmParseError } from './errors';

/** What Slurm prints where there is no time. `0` is Slurm's internal "unset", printed as Unknown. */
const NO_TIME = new Set(['', 'Unknown', 'None', 'N/A', '(null)', 'n/a', '0']);

export interface TimeOptions {
  /** Which instant an ambiguous wall time (DST overlap) means. */
  ambiguous?: 'earlier' | 'later';
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const CACHE_LIMIT = 100_000;

interface Zone {
  format: Intl.DateTimeFormat;
  /** `YYYY-MM-DDTHH` → epoch seconds of HH:00:00 when the hour has one offset; null when it has a
   * transition in it. Sacct rows repeat the same hours over and over. */
  hourPrefixes: Map<string, number | null>;
  /** Offset (ms, local minus UTC) per local wall-clock hour, when constant over that whole hour; null when
   * the hour has a transition in it and must be resolved exactly every time. */
  hours: Map<number, number | null>;
}

const zones = new Map<string, Zone>();

function zoneFor(zone: string): Zone {
  let z = zones.get(zone);
  if (z) return z;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new SlurmParseError('time', 'unknown time zone', zone);
  }
  z = { format, hours: new Map(), hourPrefixes: new Map() };
  zones.set(zone, z);
  return z;
}

/** Offset of `zone` at the instant `ms`: local wall time (read as UTC) minus the instant, in ms. */
function offsetAt(z: Zone, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of z.format.formatToParts(whole)) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
      case 'second': s = Number(p.value); break;
      default: break;
    }
  }
  return Date.UTC(y, mo - 1, d, h, mi, s) - whole;
}

/** Every instant whose wall time in the zone is `wall` (ms, read as UTC): 0, 1 or 2 of them. */
function instantsOf(z: Zone, wall: number): number[] {
  const out: number[] = [];
  for (const offset of new Set([offsetAt(z, wall - DAY_MS), offsetAt(z, wall + DAY_MS)])) {
    const t = wall - offset;
    if (offsetAt(z, t) === offset && !out.includes(t)) out.push(t);
  }
  return out.sort((a, b) => a - b);
}

/** The constant offset over the local hour starting at `hourWall`, or null if it changes within it. */
function hourOffset(z: Zone, hourWall: number): number | null {
  const cached = z.hours.get(hourWall);
  if (cached !== undefined) return cached;
  const start = instantsOf(z, hourWall);
  const end = instantsOf(z, hourWall + HOUR_MS - 1000);
  let offset: number | null = null;
  if (start.length === 1 && end.length === 1 && end[0] as number - (start[0] as number) === HOUR_MS - 1000) {
    offset = hourWall - (start[0] as number);
  }
  if (z.hours.size >= CACHE_LIMIT) z.hours.clear();
  z.hours.set(hourWall, offset);
  return offset;
}

/** Epoch seconds of a wall-clock time in `zone`. */
export function zonedToEpoch(zone: string, year: number, month: number, day: number, hour: number, minute: number, second: number, options: TimeOptions = {}): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const z = zoneFor(zone);
  const hourWall = wall - (wall % HOUR_MS + HOUR_MS) % HOUR_MS;
  const fast = hourOffset(z, hourWall);
  if (fast !== null) return (wall - fast) / 1000;
  const instants = instantsOf(z, wall);
  if (instants.length === 0) return (wall - offsetAt(z, wall - DAY_MS)) / 1000; // in a gap: see header
  const pick = options.ambiguous === 'later' ? instants[instants.length - 1] : instants[0];
  return (pick as number) / 1000;
}

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1] as number;
}

/** 9 to 12 digits: epoch seconds from SLURM_TIME_FORMAT=%s (Slurm prints 0 as Unknown); their value, or -1
 * for anything else (checked and read in one pass: an ingest reads four per row). */
function epochValue(s: string): number {
  if (s.length < 9 || s.length > 12) return -1;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/**
 * Parse a Slurm timestamp into epoch seconds: `2025-11-26T11:00:00` (Slurm's default and `standard`
 * format, also with a space instead of `T`) read in `zone`, or epoch seconds (`SLURM_TIME_FORMAT=%s`).
 * `Unknown`, `None`, `N/A`, `(null)` and an empty field give null.
 */
export function parseSlurmTime(text: string, zone: string, options: TimeOptions = {}): number | null {
  const s = text.length > 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32) ? text.trim() : text;
  const seconds = epochValue(s);
  if (seconds >= 0) return seconds;
  if (NO_TIME.has(s)) return null;
  if (s.length !== 19 || s[4] !== '-' || s[7] !== '-' || (s[10] !== 'T' && s[10] !== ' ') || s[13] !== ':' || s[16] !== ':') {
    throw new SlurmParseError('time', 'not a Slurm timestamp', text);
  }
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (minute < 0 || minute > 59 || second < 0 || second > 59) throw new SlurmParseError('time', 'date or time out of range', text);
  const z = zoneFor(zone);
  const prefix = s[10] === 'T' ? s.slice(0, 13) : `${s.slice(0, 10)}T${s.slice(11, 13)}`;
  const hourStart = z.hourPrefixes.get(prefix);
  if (hourStart !== undefined && hourStart !== null) return hourStart + minute * 60 + second;
  const epoch = parseWallTime(s, text, zone, minute, second, options);
  if (hourStart === undefined) {
    // Remember the hour only when its offset is constant (so minutes and seconds simply add on).
    const start = parseWallTime(s, text, zone, 0, 0, options);
    const constant = hourOffset(z, Date.UTC(digits(s, 0, 4), digits(s, 5, 2) - 1, digits(s, 8, 2), digits(s, 11, 2))) !== null;
    if (z.hourPrefixes.size >= CACHE_LIMIT) z.hourPrefixes.clear();
    z.hourPrefixes.set(prefix, constant ? start : null);
  }
  return epoch;
}

function parseWallTime(s: string, text: string, zone: string, minute: number, second: number, options: TimeOptions): number {
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || day > daysInMonth(year, month)) {
    throw new SlurmParseError('time', 'date or time out of range', text);
  }
  return zonedToEpoch(zone, year, month, day, hour, minute, second, options);
}

/** Format epoch seconds as the wall-clock time Slurm expects in `zone` (for `sacct -S/-E`). */
export function formatSlurmTime(epochSeconds: number, zone: string): string {
  if (!Number.isFinite(epochSeconds)) throw new SlurmParseError('time', 'not a finite time', String(epochSeconds));
  const ms = Math.floor(epochSeconds) * 1000;
  const local = new Date(ms + offsetAt(zoneFor(zone), ms));
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(local.getUTCFullYear(), 4)}-${p(local.getUTCMonth() + 1)}-${p(local.getUTCDate())}T${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())}`;
}
