// Job ids as Slurm prints them, and the patterns every id or name must match before it goes into a
// command line. Printed forms: `123`, array tasks `123_4`, a pending array's remaining tasks
// `123_[1-5%2]` or `123_[1,3,7-9]`, heterogeneous job components `123+1`, and steps `123.batch`,
// `123.extern`, `123.0`, `123_4.0`, `123+1.0` (sacct without -X).
import { SlurmParseError } from './errors';

export interface ParsedJobId {
  /** The number before `_`/`+`/`.`: the job id, or the array's (or het job leader's) id. */
  baseId: number;
  arrayTaskId: number | null;
  /** Pending array tasks still in one record, without brackets: `1-5%2`. */
  arrayTaskRange: string | null;
  /** Heterogeneous job component offset (`+1`). */
  hetOffset: number | null;
  /** Step part after `.` (`batch`, `extern`, `interactive`, `0`, …), null for the job itself. */
  step: string | null;
}

const JOB_ID = /^(\d{1,12})(?:_(?:(\d{1,10})|\[([0-9,%:-]+)\]|\*)|\+(\d{1,6}))?(?:\.([A-Za-z0-9_]+))?$/;

export function parseJobId(text: string): ParsedJobId {
  const m = JOB_ID.exec(text.trim());
  if (!m) throw new SlurmParseError('job-id', 'not a Slurm job id', text);
  const range = m[3] ?? null;
  if (range !== null && !/^\d+(-\d+(:\d+)?)?(,\d+(-\d+(:\d+)?)?)*(%\d+)?$/.test(range)) throw new SlurmParseError('job-id', 'bad array task range', text);
  const baseId = Number(m[1]);
  if (!Number.isSafeInteger(baseId) || baseId === 0) throw new SlurmParseError('job-id', 'job id out of range', text);
  return {
    baseId,
    arrayTaskId: m[2] === undefined ? null : Number(m[2]),
    arrayTaskRange: range,
    hetOffset: m[4] === undefined ? null : Number(m[4]),
    step: m[5] ?? null,
  };
}

/**
 * How many array tasks a pending range record stands for: `5-9%2` → 5, `1,3,7-9` → 5, `4` → 1. A pending
 * `123_[5-9]` record is one squeue line but five jobs' worth of requested GPUs.
 */
export function arrayTaskCount(range: string): number {
  const body = range.replace(/^\[|\]$/g, '').replace(/%\d+$/, '');
  if (!/^\d+(-\d+(:\d+)?)?(,\d+(-\d+(:\d+)?)?)*$/.test(body)) throw new SlurmParseError('job-id', 'bad array task range', range);
  let n = 0;
  for (const part of body.split(',')) {
    const [lo, rest] = part.split('-') as [string, string | undefined];
    if (rest === undefined) {
      n++;
      continue;
    }
    const [hi, step] = rest.split(':') as [string, string | undefined];
    const a = Number(lo);
    const b = Number(hi);
    const s = step === undefined ? 1 : Number(step);
    if (b < a || s < 1) throw new SlurmParseError('job-id', 'bad array task range', range);
    n += Math.floor((b - a) / s) + 1;
  }
  return n;
}

// ---- Validation of values that go into commands -------------------------------------------------------

/** A job or array task a user may act on: `123` or `123_4` (as the project's command rules require). */
export const JOB_ID_ARG = /^[1-9]\d{0,11}(_\d{1,10})?$/;
/**
 * User, account, partition, QOS, reservation and cluster names: Slurm's names in practice. A leading `-`
 * is refused so that a value can never be read as an option.
 */
export const SLURM_NAME_ARG = /^[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,127}$/;
/** A hostlist expression or node name given to `-w` / `nodes=`. */
export const NODE_LIST_ARG = /^[A-Za-z0-9_][A-Za-z0-9_.,[\]-]{0,4095}$/;

export class SlurmArgumentError extends Error {
  override readonly name = 'SlurmArgumentError';
  constructor(what: string, value: string) {
    super(`refusing ${what} ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value)}`);
  }
}

export function assertJobIdArg(value: string): string {
  if (!JOB_ID_ARG.test(value)) throw new SlurmArgumentError('job id', value);
  return value;
}

export function assertNameArg(value: string, what = 'name'): string {
  if (!SLURM_NAME_ARG.test(value)) throw new SlurmArgumentError(what, value);
  return value;
}

export function assertNodeListArg(value: string): string {
  if (!NODE_LIST_ARG.test(value)) throw new SlurmArgumentError('node list', value);
  return value;
}
