// Calendar periods in a chosen IANA zone — day, ISO week (Monday to Monday), month — and the split of an
// interval into them. Built on LocalDays (which finds each local day's real length, so DST days of 23 or
// 25 hours are right), with weeks and months as runs of local days.
import { zonedToEpoch } from '../slurm/parse/time';
import { LocalDays } from './local-days';

export type Period = 'day' | 'week' | 'month';

export interface PeriodSlice {
  /** `2026-11-26`, `2026-W48`, `2026-11`. */
  label: string;
  /** This slice's [start, end) in epoch seconds (part of the period, clipped to the interval). */
  start: number;
  end: number;
}

/** ISO-8601 week of a calendar date: the year that owns the week and the week number. */
export function isoWeek(date: string): { year: number; week: number; monday: string } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = Date.UTC(y, m - 1, d);
  const dow = (new Date(t).getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(t + (3 - dow) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
  const monday = new Date(t - dow * 86_400_000).toISOString().slice(0, 10);
  return { year, week, monday };
}

export function periodLabel(day: string, period: Period): string {
  if (period === 'day') return day;
  if (period === 'month') return day.slice(0, 7);
  const w = isoWeek(day);
  return `${w.year}-W${String(w.week).padStart(2, '0')}`;
}

/** Epoch seconds of local midnight (or the first instant of the day, where midnight is skipped) of `date`. */
export function localDayStart(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return zonedToEpoch(timeZone, y, m, d, 0, 0, 0);
}

/** The full period with this label: [start, end) in epoch seconds. */
export function periodBounds(label: string, period: Period, timeZone: string): [number, number] {
  const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);
  if (period === 'day') {
    const [y, m, d] = label.split('-').map(Number) as [number, number, number];
    return [localDayStart(label, timeZone), localDayStart(utcDay(Date.UTC(y, m - 1, d + 1)), timeZone)];
  }
  if (period === 'month') {
    const [y, m] = label.split('-').map(Number) as [number, number];
    return [localDayStart(`${label}-01`, timeZone), localDayStart(utcDay(Date.UTC(y, m, 1)), timeZone)];
  }
  const [ys, ws] = label.split('-W') as [string, string];
  const jan4 = Date.UTC(Number(ys), 0, 4);
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
  const monday = monday1 + (Number(ws) - 1) * 7 * 86_400_000;
  return [localDayStart(utcDay(monday), timeZone), localDayStart(utcDay(monday + 7 * 86_400_000), timeZone)];
}

/** Splits intervals into periods of one zone. Keep one per export: the day lookups are cached. */
export class PeriodSplitter {
  readonly days: LocalDays;
  private readonly labels = new Map<string, string>();

  constructor(
    readonly timeZone: string,
    readonly period: Period,
  ) {
    this.days = new LocalDays(timeZone);
  }

  private label(day: string): string {
    let l = this.labels.get(day);
    if (l === undefined) {
      l = periodLabel(day, this.period);
      if (this.labels.size > 100_000) this.labels.clear();
      this.labels.set(day, l);
    }
    return l;
  }

  /** [start, end) cut at period boundaries, in order; nothing for an empty interval. */
  split(start: number, end: number): PeriodSlice[] {
    const out: PeriodSlice[] = [];
    let t = start;
    while (t < end) {
      const d = this.days.dayOf(t);
      const stop = Math.min(end, d.end);
      const label = this.label(d.day);
      const last = out[out.length - 1];
      if (last && last.label === label && last.end === t) last.end = stop;
      else out.push({ label, start: t, end: stop });
      t = stop;
    }
    return out;
  }
}
