// Numbers as the different JSON generations print them. openapi v0.0.38 (22.05) prints plain integers
// and null; data_parser v0.0.39+ wraps most of them as `{set, infinite, number}` (unset → `set:false`,
// UNLIMITED → `infinite:true`) but still prints some fields plain, sometimes with Slurm's C sentinels in
// them (sacct `time.start` 4294967294 for a run that never started). These helpers accept every form, so
// the normalisers read a field the same way whatever the version, and map Slurm's markers to what the
// model says: null for "no value" and for "unlimited" (time limits are `null = UNLIMITED`).
import { z } from 'zod';

/** A value that failed a helper; the record normaliser turns it into a rejected record with this path. */
export class FieldError extends Error {
  override readonly name = 'FieldError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(reason);
  }
}

export const noValStruct = z.object({ set: z.boolean(), infinite: z.boolean(), number: z.number() });
export type NoValStruct = z.infer<typeof noValStruct>;

/** A number in any of its printed forms; absent fields are `undefined`. */
export const flexNumber = z.union([z.number(), noValStruct, z.null(), z.string().regex(/^-?\d+(\.\d+)?$/)]).optional();
export type FlexNumber = z.infer<typeof flexNumber>;

/**
 * Slurm's C sentinels when they leak into plain integers: NO_VAL/INFINITE for 32 and 64 bits (the 64-bit
 * ones lose precision in a JS double, so they compare equal to 2^64), and -1/-2 when a sentinel was printed
 * as a signed number. The 16-bit ones (65534/65535) are left alone: they are real values in 32-bit fields
 * such as CPU counts, and no 16-bit field we read is printed plain with a sentinel in it.
 */
const INFINITE_MARKERS = new Set<number>([0xffffffff, 2 ** 64, -1]);
const UNSET_MARKERS = new Set<number>([0xfffffffe, -2]);

export type Reading = { kind: 'value'; value: number } | { kind: 'unset' } | { kind: 'infinite' };

const UNSET: Reading = { kind: 'unset' };
const INFINITE: Reading = { kind: 'infinite' };

/**
 * Read a number in any printed form. `sentinels` decides whether plain C markers count as unset (true
 * for counts, times and limits; false where a negative or huge value is meaningful, which no field we
 * read has).
 */
export function readNumber(v: FlexNumber, field: string, sentinels = true): Reading {
  if (v === undefined || v === null) return UNSET;
  if (typeof v === 'object') {
    if (v.infinite) return INFINITE;
    if (!v.set) return UNSET;
    return finite(v.number, field, sentinels);
  }
  return finite(typeof v === 'string' ? Number(v) : v, field, sentinels);
}

function finite(n: number, field: string, sentinels: boolean): Reading {
  if (!Number.isFinite(n)) throw new FieldError(field, `not a finite number: ${String(n)}`);
  if (sentinels && INFINITE_MARKERS.has(n)) return INFINITE;
  if (sentinels && UNSET_MARKERS.has(n)) return UNSET;
  return { kind: 'value', value: n };
}

/** A count or amount: the number, or `fallback` when unset or unlimited. */
export function numberOr(v: FlexNumber, field: string, fallback: number): number {
  const r = readNumber(v, field);
  return r.kind === 'value' ? r.value : fallback;
}

/** The number, or null when unset or unlimited. */
export function numberOrNull(v: FlexNumber, field: string): number | null {
  const r = readNumber(v, field);
  return r.kind === 'value' ? r.value : null;
}

/** An integer that must be there (job ids, submit times): a typed error otherwise. */
export function requiredInteger(v: FlexNumber, field: string): number {
  const r = readNumber(v, field);
  if (r.kind !== 'value') throw new FieldError(field, r.kind === 'unset' ? 'missing' : 'unexpectedly unlimited');
  if (!Number.isSafeInteger(r.value) || r.value < 0) throw new FieldError(field, `not a non-negative integer: ${r.value}`);
  return r.value;
}

/** Epoch seconds; Slurm prints 0 (and its sentinels) for "not known yet", which is null in the model. */
export function epochOrNull(v: FlexNumber, field: string): number | null {
  const r = readNumber(v, field);
  if (r.kind !== 'value' || r.value <= 0) return null;
  return r.value;
}

/** A time limit printed in minutes, as seconds; null for UNLIMITED and for "not set" (partition limit). */
export function minutesLimit(v: FlexNumber, field: string): number | null {
  const r = readNumber(v, field);
  return r.kind === 'value' ? r.value * 60 : null;
}

/** A field Slurm prints as `""` when empty: the string, or null. */
export function textOrNull(v: string | null | undefined): string | null {
  return v === undefined || v === null || v === '' ? null : v;
}

/** Booleans: data_parser prints true/false, openapi v0.0.38 sometimes 0/1. */
export const flexBool = z.union([z.boolean(), z.number()]).optional();
export function bool(v: boolean | number | undefined, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  return typeof v === 'boolean' ? v : v !== 0;
}

/** A list of names printed as an array (v0.0.39+) or a comma-separated string (v0.0.38). */
export const flexNameList = z.union([z.array(z.string()), z.string(), z.null()]).optional();
export function nameList(v: string[] | string | null | undefined): string[] {
  if (v === undefined || v === null) return [];
  const items = typeof v === 'string' ? v.split(',') : v;
  return items.map((s) => s.trim()).filter((s) => s !== '' && s !== '(null)');
}
