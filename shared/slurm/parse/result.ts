// What a parser of a multi-record output returns: every record it could read, and a typed error for every
// record it could not, so one malformed line neither hides the others nor disappears silently.
import { SlurmParseError } from './errors';

export interface ParseResult<T> {
  items: T[];
  errors: SlurmParseError[];
}

/** Lines of a command's output, without the trailing newline and without `\r` (Windows-edited files). */
export function outputLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/**
 * Run `parse` on each record; a SlurmParseError becomes an entry in `errors` (with the record's line
 * number), any other exception is a bug and propagates.
 */
export function collect<R, T>(records: readonly R[], lineOf: (record: R, index: number) => number, parse: (record: R, line: number) => T): ParseResult<T> {
  const items: T[] = [];
  const errors: SlurmParseError[] = [];
  records.forEach((record, index) => {
    const line = lineOf(record, index);
    try {
      items.push(parse(record, line));
    } catch (err) {
      if (!(err instanceof SlurmParseError)) throw err;
      errors.push(err.line === null ? new SlurmParseError(err.parser, err.reason, err.input, line) : err);
    }
  });
  return { items, errors };
}
