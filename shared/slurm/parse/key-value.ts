// `scontrol show <entity> -o` prints one record per line as `Key=value` pairs separated by spaces, but some
// values are free text that may itself contain spaces, `=` and `[`: `Reason=xid 79: GPU fell off the bus
// [root@2025-11-26T10:00:00]`, `OS=Linux 6.1.0 #1 SMP PREEMPT_DYNAMIC`, `JobName=my job`, `Comment=...`.
//
// A word `Name=` starts a new pair, except inside a free-text value, where only a key known to follow
// (from the caller's list for that record type) ends it. Unknown keys (a newer Slurm's) still split pairs
// everywhere else, so they are kept, not merged into their neighbours. Limit: a free-text value that
// itself contains ` KnownKey=` is cut there; Slurm's own output has no way to tell the two apart.
import { SlurmParseError, type SlurmParser } from './errors';

export interface KeyValueOptions {
  /** Keys whose values are free text. */
  freeText: ReadonlySet<string>;
  /** Keys Slurm prints for this record type, in any version: they end a free-text value. */
  knownKeys: ReadonlySet<string>;
}

// A key is a word of letters, digits and `_ / : .` after start-of-line or whitespace (`CPUs/Task`,
// `AllocNode:Sid`, `NtasksPerN:B:S:C`).
const KEY = /(^|[ \t])([A-Za-z][A-Za-z0-9_/:.]*)=/g;

/** Split one record line into its pairs, in order; keys may repeat (`Nodes=` per allocation group). */
export function splitKeyValues(line: string, options: KeyValueOptions, parser: SlurmParser, lineNo: number | null = null): [string, string][] {
  const starts: { key: string; keyAt: number; valueAt: number }[] = [];
  let freeText = false;
  for (const m of line.matchAll(KEY)) {
    const key = m[2] as string;
    const keyAt = (m.index as number) + (m[1] as string).length;
    if (freeText && !options.knownKeys.has(key)) continue;
    starts.push({ key, keyAt, valueAt: keyAt + key.length + 1 });
    freeText = options.freeText.has(key);
  }
  if (starts.length === 0) throw new SlurmParseError(parser, 'no Key=value pairs', line, lineNo);
  if (line.slice(0, (starts[0] as { keyAt: number }).keyAt).trim() !== '') {
    throw new SlurmParseError(parser, 'text before the first Key=value pair', line, lineNo);
  }
  return starts.map((s, i) => {
    const end = i + 1 < starts.length ? (starts[i + 1] as { keyAt: number }).keyAt : line.length;
    return [s.key, line.slice(s.valueAt, end).trim()];
  });
}

/** The pairs as a map; a repeated key keeps its first value (use the array form where keys repeat). */
export function keyValueMap(pairs: readonly [string, string][]): Map<string, string> {
  const map = new Map<string, string>();
  for (const [k, v] of pairs) if (!map.has(k)) map.set(k, v);
  return map;
}

/** Values Slurm prints for "nothing": `(null)`, `N/A`, `None`, `none`, empty. */
export function isUnset(value: string | undefined): boolean {
  return value === undefined || value === '' || value === '(null)' || value === 'N/A' || value === 'None' || value === 'none' || value === 'n/a';
}

/** A comma-separated list value, `[]` when unset. */
export function listValue(value: string | undefined): string[] {
  return isUnset(value) ? [] : (value as string).split(',').filter((v) => v !== '');
}
