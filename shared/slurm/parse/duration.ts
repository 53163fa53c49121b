// Durations as Slurm prints and accepts them: `D-HH:MM:SS`, `D-HH:MM`, `D-HH`, `HH:MM:SS`, `MM:SS`, `MM`,
// with fractional seconds where sacct prints CPU times (`00:01.234`), and the words Slurm uses instead of
// a value. The words are kept apart from numbers, because they mean different things to the caller:
// `UNLIMITED` is no limit, `Partition_Limit` is "whatever the partition allows", and `NOT_SET`/`INVALID`/
// `N/A` (or an empty field, as sacct prints for steps) mean there is no value at all.
import { SlurmParseError } from './errors';

export type DurationWord = 'UNLIMITED' | 'PARTITION_LIMIT' | 'UNSET';
/** Seconds, or what Slurm printed instead. */
export type Duration = number | DurationWord;

const WORDS = new Map<string, DurationWord>([
  ['UNLIMITED', 'UNLIMITED'],
  ['INFINITE', 'UNLIMITED'],
  ['Partition_Limit', 'PARTITION_LIMIT'],
  ['NOT_SET', 'UNSET'],
  ['INVALID', 'UNSET'],
  ['N/A', 'UNSET'],
  ['None', 'UNSET'],
  ['NONE', 'UNSET'],
  ['', 'UNSET'],
]);

const FIELD = /^\d{1,12}$/;
const SECONDS_FIELD = /^\d{1,12}(\.\d{1,9})?$/;

/**
 * Parse a Slurm duration into seconds (or a `DurationWord`). A bare number is minutes and `A:B` is
 * minutes:seconds, as in Slurm's own parser; with a day part, `D-H`, `D-H:M` and `D-H:M:S`. Fields after
 * the first must be in range (minutes and seconds < 60, hours < 24 after a day part); only a seconds field
 * may have decimals.
 */
export function parseDuration(text: string): Duration {
  const s = text.trim();
  const word = WORDS.get(s);
  if (word !== undefined) return word;
  const fail = (why: string): never => {
    throw new SlurmParseError('duration', why, text);
  };
  const dash = s.indexOf('-');
  const dayText = dash === -1 ? null : s.slice(0, dash);
  const fields = (dash === -1 ? s : s.slice(dash + 1)).split(':');
  if (dayText !== null && !FIELD.test(dayText)) fail('bad day count');
  if (fields.length > 3) fail('too many ":" fields');
  // Which unit each field is, by form: [h] [h,m] [h,m,s] after a day part; [m] [m,s] [h,m,s] without.
  const units = dayText !== null ? [3600, 60, 1].slice(0, fields.length) : fields.length === 3 ? [3600, 60, 1] : fields.length === 2 ? [60, 1] : [60];
  let seconds = dayText === null ? 0 : Number(dayText) * 86400;
  fields.forEach((f, i) => {
    const unit = units[i] as number;
    if (!(unit === 1 ? SECONDS_FIELD : FIELD).test(f)) fail(`bad field "${f}"`);
    const v = Number(f);
    const first = i === 0 && dayText === null;
    if (!first && ((unit === 3600 && v >= 24) || (unit < 3600 && v >= 60))) fail(`field "${f}" out of range`);
    seconds += v * unit;
  });
  if (!Number.isFinite(seconds) || seconds > Number.MAX_SAFE_INTEGER) fail('duration too large');
  return seconds;
}

/** A time limit for the model: seconds, null for UNLIMITED; `PARTITION_LIMIT`/unset take `fallback`. */
export function timeLimitSeconds(value: Duration, fallback: number | null = null): number | null {
  if (typeof value === 'number') return value;
  if (value === 'UNLIMITED') return null;
  return fallback;
}
