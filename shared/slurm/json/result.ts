// What every normaliser returns, and the loop that turns a list of raw records into model objects. A
// record that fails (a field of the wrong type, a value a primitive parser refuses) becomes a typed error
// with its path and an excerpt, and the rest are still returned: one odd job must not hide the queue, and
// the caller decides whether a snapshot with errors is complete enough. The shape is the text parsers'
// `ParseResult` plus what only JSON knows, so a collector handles both paths the same way.
import type { z } from 'zod';
import { SlurmParseError } from '../parse/errors';
import type { ParseResult } from '../parse/result';
import { recordError, type JsonCommand, type SlurmJsonError } from './errors';
import type { JsonVersion } from './version';
import { FieldError } from './values';

export interface JsonResult<T> extends ParseResult<T> {
  /** Records that could not be normalised (`problem: 'record'`); the others are in `items`. */
  errors: SlurmJsonError[];
  version: JsonVersion;
  /** Slurm's warnings, the version note, and known problems of this version with the values returned. */
  warnings: string[];
}

function zodPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/**
 * Validate each record with `schema` (unknown fields are dropped, missing optional ones stay undefined)
 * and convert it; failures become errors under `list[index]`.
 */
export function convertRecords<S extends z.ZodType, T>(
  command: JsonCommand,
  list: string,
  records: readonly unknown[],
  schema: S,
  convert: (record: z.infer<S>, index: number) => T | null,
): { items: T[]; errors: SlurmJsonError[] } {
  const items: T[] = [];
  const errors: SlurmJsonError[] = [];
  records.forEach((raw, index) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      errors.push(recordError(command, list, index, issue ? zodPath(issue.path) : '', issue?.message ?? 'invalid record', raw));
      return;
    }
    try {
      const item = convert(parsed.data, index);
      if (item !== null) items.push(item);
    } catch (err) {
      if (err instanceof FieldError) errors.push(recordError(command, list, index, err.field, err.message, raw));
      else if (err instanceof SlurmParseError) errors.push(recordError(command, list, index, '', err.message, raw));
      else throw err;
    }
  });
  return { items, errors };
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
