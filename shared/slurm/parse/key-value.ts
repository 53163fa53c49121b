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
// `AllocNode:Sid`, `NtasksPerN:B:S:C`), starting with a letter, directly before `=`. Found by scanning for
// `=` and walking back over key characters: a node or job line has ~100 pairs and the queue parser reads
// one per job, so this runs without a regex or a match object per pair.
function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 47 || c === 46; // a-z A-Z 0-9 : _ / .
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Split one record line into its pairs, in order; keys may repeat (`Nodes=` per allocation group). */
export function splitKeyValues(line: string, options: KeyValueOptions, parser: SlurmParser, lineNo: number | null = null): [string, string][] {
  const keys: string[] = [];
  const keyAts: number[] = [];
  let freeText = false;
  for (let eq = line.indexOf('='); eq !== -1; eq = line.indexOf('=', eq + 1)) {
    let k = eq;
    while (k > 0 && isKeyChar(line.charCodeAt(k - 1))) k--;
    if (k === eq || !isLetter(line.charCodeAt(k))) continue;
    if (k > 0) {
      const before = line.charCodeAt(k - 1);
      if (before !== 32 && before !== 9) continue;
    }
    const key = line.slice(k, eq);
    if (freeText && !options.knownKeys.has(key)) continue;
    keys.push(key);
    keyAts.push(k);
    freeText = options.freeText.has(key);
  }
  if (keys.length === 0) throw new SlurmParseError(parser, 'no Key=value pairs', line, lineNo);
  if (line.slice(0, keyAts[0] as number).trim() !== '') {
    throw new SlurmParseError(parser, 'text before the first Key=value pair', line, lineNo);
  }
  const pairs: [string, string][] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const end = i + 1 < keys.length ? (keyAts[i + 1] as number) : line.length;
    pairs[i] = [key, line.slice((keyAts[i] as number) + key.length + 1, end).trim()];
  }
  return pairs;
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
