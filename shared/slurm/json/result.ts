// What every normaliser returns, and the loop that turns a list of raw records into model objects. A
// record that fails (a field of the wrong type, a value a primitive parser refuses) is reported with its
// path and an excerpt and the rest are still returned: one odd job must not hide the queue, and the
// caller decides whether a snapshot with rejections is complete enough (`rejected.length > 0`).
import type { z } from 'zod';
import { SlurmParseError } from '../parse/errors';
import { rejectedRecord, type RejectedRecord } from './errors';
import type { JsonVersion } from './version';
import { FieldError } from './values';

export interface JsonResult<T> {
  items: T[];
  version: JsonVersion;
  /** Slurm's warnings, the version note, and known problems of this version with the values returned. */
  warnings: string[];
  /** Records that could not be normalised; the others are in `items`. */
  rejected: RejectedRecord[];
}

function zodPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/**
 * Validate each record with `schema` (unknown fields are dropped, missing optional ones stay undefined)
 * and convert it; failures become `RejectedRecord`s under `list[index]`.
 */
export function convertRecords<S extends z.ZodType, T>(
  list: string,
  records: readonly unknown[],
  schema: S,
  convert: (record: z.infer<S>, index: number) => T | null,
): { items: T[]; rejected: RejectedRecord[] } {
  const items: T[] = [];
  const rejected: RejectedRecord[] = [];
  records.forEach((raw, index) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      rejected.push(rejectedRecord(list, index, issue ? zodPath(issue.path) : '', issue?.message ?? 'invalid record', raw));
      return;
    }
    try {
      const item = convert(parsed.data, index);
      if (item !== null) items.push(item);
    } catch (err) {
      if (err instanceof FieldError) rejected.push(rejectedRecord(list, index, err.field, err.message, raw));
      else if (err instanceof SlurmParseError) rejected.push(rejectedRecord(list, index, '', err.message, raw));
      else throw err;
    }
  });
  return { items, rejected };
}

/** Run a primitive parser on one field, so its error names the field. */
export function field<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof SlurmParseError) throw new FieldError(name, err.message);
    throw err;
  }
}
