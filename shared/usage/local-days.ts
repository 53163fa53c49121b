// Calendar days in a cluster's time zone, for per-day usage: which local day an instant falls in, and
// how many seconds of an interval fall in each local day. An admin or a finance report means the
// cluster's day (as sreport does), not UTC's. Days are found once per zone and day (boundaries located by
// bisection on the local date, so DST days of 23 or 25 hours and zones whose clocks change at midnight come
// out right) and cached; the common case, consecutive instants in the same day, costs two comparisons.
import { formatSlurmTime } from '../slurm/parse/time';

export interface LocalDay {
  /** `YYYY-MM-DD`. */
  day: string;
  /** Epoch seconds of the day's first instant, and of the next day's first instant. */
  start: number;
  end: number;
}

export interface DaySlice {
  day: string;
  seconds: number;
}

const MAX_DAY = 27 * 3600; // longer than any real local day (25 h) with margin

export class LocalDays {
  private last: LocalDay | null = null;
  private readonly byUtcDay = new Map<number, LocalDay[]>();
  private readonly utc: boolean;

  /** Throws (a SlurmParseError from the time module) when `timeZone` is not an IANA zone. */
  constructor(readonly timeZone: string) {
    this.utc = timeZone === 'UTC' || timeZone === 'Etc/UTC';
    this.dateOf(0);
  }

  /** The local day containing the instant `t` (epoch seconds). */
  dayOf(t: number): LocalDay {
    const last = this.last;
    if (last !== null && t >= last.start && t < last.end) return last;
    const key = Math.floor(t / 86400);
    let list = this.byUtcDay.get(key);
    const hit = list?.find((d) => t >= d.start && t < d.end);
    if (hit) return (this.last = hit);
    const found = this.utc ? { day: this.dateOf(key * 86400), start: key * 86400, end: key * 86400 + 86400 } : this.locate(t);
    if (!list) this.byUtcDay.set(key, (list = []));
    list.push(found);
    if (this.byUtcDay.size > 100_000) this.byUtcDay.clear();
    return (this.last = found);
  }

  /** Seconds of [start, end) in each local day, in order; nothing for an empty or inverted interval. */
  split(start: number, end: number, out: DaySlice[] = []): DaySlice[] {
    let t = start;
    while (t < end) {
      const d = this.dayOf(t);
      const stop = Math.min(end, d.end);
      out.push({ day: d.day, seconds: stop - t });
      t = stop;
    }
    return out;
  }

  private dateOf(t: number): string {
    return formatSlurmTime(t, this.timeZone).slice(0, 10);
  }

  /** First instant in (lo, hi] whose local date differs from `date`, given lo has `date` and hi does not. */
  private boundary(lo: number, hi: number, date: string, forward: boolean): number {
    // Invariant (forward): dateOf(lo) === date, dateOf(hi) !== date. Backward: the reverse.
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if ((this.dateOf(mid) === date) === forward) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  private locate(t: number): LocalDay {
    const day = this.dateOf(t);
    const start = this.boundary(t - MAX_DAY, t, day, false);
    const end = this.boundary(t, t + MAX_DAY, day, true);
    return { day, start, end };
  }
}
