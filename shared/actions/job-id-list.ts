// Explicit job ids a person typed (`123`, `123_4`, `123_[1-5,9]`), checked and expanded into the ids that
// go to Slurm. Anything else — `1;touch /tmp/x`, `-1`, `123.batch`, a hostlist — is refused as a whole
// before a single command is built, so a typo never turns into a partial action.
import { JOB_ID_ARG, SlurmArgumentError } from '../slurm/parse/job-id';

/** More tasks than this from one selection is a mistake, not a plan (and would be a very long argv). */
export const MAX_EXPANDED_IDS = 20_000;

const RANGE_TOKEN = /^([1-9]\d{0,11})_\[(\d{1,10}(?:-\d{1,10}(?::\d{1,10})?)?(?:,\d{1,10}(?:-\d{1,10}(?::\d{1,10})?)?)*)\]$/;

/** Split user input on whitespace and on commas outside `[...]` (`1,2` is two ids, `3_[1,2]` one). */
export function splitJobIdInput(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if ((ch === ',' && depth === 0) || /\s/.test(ch)) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

function expandRange(base: string, body: string, token: string, room: number): string[] {
  const ids: string[] = [];
  for (const part of body.split(',')) {
    const [lo, rest] = part.split('-') as [string, string | undefined];
    const [hi, step] = rest === undefined ? [lo, '1'] : (rest.split(':') as [string, string | undefined]);
    const a = Number(lo);
    const b = Number(hi);
    const s = Number(step ?? '1');
    if (b < a || s < 1) throw new SlurmArgumentError('array task range', token);
    for (let t = a; t <= b; t += s) {
      ids.push(`${base}_${t}`);
      if (ids.length > room) throw new SlurmArgumentError(`selection (more than ${MAX_EXPANDED_IDS} ids)`, token);
    }
  }
  return ids;
}

/**
 * Every token checked, ranges expanded, duplicates dropped (first occurrence kept). Throws
 * SlurmArgumentError naming the first bad token; returns nothing partial.
 */
export function expandJobIds(inputs: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const token of inputs.flatMap(splitJobIdInput)) {
    const range = RANGE_TOKEN.exec(token);
    const ids = range ? expandRange(range[1] as string, range[2] as string, token, MAX_EXPANDED_IDS - seen.size) : [token];
    for (const id of ids) {
      if (!JOB_ID_ARG.test(id)) throw new SlurmArgumentError('job id', token);
      seen.add(id);
    }
    if (seen.size > MAX_EXPANDED_IDS) throw new SlurmArgumentError(`selection (more than ${MAX_EXPANDED_IDS} ids)`, token);
  }
  return [...seen];
}
