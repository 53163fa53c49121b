// Slurm hostlist expressions: `gpu[01-04,07],cpu-[1-2]`, `r[1-2]n[01-03]`, `login1`. Expansion follows
// Slurm's hostlist.c: a range's zero padding is the width of its lower bound as written (`[08-10]` gives
// 08,09,10; `[8-10]` gives 8,9,10), several bracket groups expand left to right with the first group
// outermost, and separators are commas (outside brackets) or whitespace. A cap on the number of names
// guards against `n[0-99999999]` exhausting memory; it is checked before anything is expanded.
import { SlurmParseError } from './errors';

/** Default cap: larger than any real cluster (the biggest have tens of thousands of nodes). */
export const DEFAULT_MAX_HOSTS = 200_000;

/** What Slurm prints where a node list is empty: squeue `(null)`, sacct `None assigned`, scontrol `(null)`. */
const NO_NODES = new Set(['', '(null)', 'None assigned', 'None', 'N/A', 'n/a', '(none)']);

const LITERAL = /^[A-Za-z0-9._-]*$/;

interface Range {
  lo: number;
  hi: number;
  width: number;
}
/** One host term: literal text and bracket groups alternating, starting and ending with text. */
interface Term {
  texts: string[];
  groups: Range[][];
}

function fail(message: string, input: string): never {
  throw new SlurmParseError('hostlist', message, input);
}

function parseRanges(body: string, expr: string): Range[] {
  if (body === '') fail('empty brackets', expr);
  return body.split(',').map((part) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) fail(`bad range "${part}"`, expr);
    const loText = m[1] as string;
    const lo = Number(loText);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) fail(`range "${part}" out of bounds`, expr);
    if (lo > hi) fail(`range "${part}" runs backwards`, expr);
    return { lo, hi, width: loText.length };
  });
}

function parseTerm(term: string, expr: string): Term {
  const texts: string[] = [];
  const groups: Range[][] = [];
  let i = 0;
  for (;;) {
    const open = term.indexOf('[', i);
    const close = term.indexOf(']', i);
    if (open === -1) {
      if (close !== -1) fail('"]" without "["', expr);
      texts.push(term.slice(i));
      break;
    }
    if (close !== -1 && close < open) fail('"]" without "["', expr);
    texts.push(term.slice(i, open));
    const end = term.indexOf(']', open);
    if (end === -1) fail('unclosed "["', expr);
    const body = term.slice(open + 1, end);
    if (body.includes('[')) fail('nested "["', expr);
    groups.push(parseRanges(body, expr));
    i = end + 1;
  }
  for (const text of texts) if (!LITERAL.test(text)) fail(`unexpected character in host name "${text}"`, expr);
  if (groups.length === 0 && texts[0] === '') fail('empty host name', expr);
  return { texts, groups };
}

/** Split on top-level separators (commas outside brackets, whitespace), keeping bracket bodies whole. */
function splitTerms(expr: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (depth === 0 && (c === ',' || c === ' ' || c === '\t' || c === '\n')) {
      if (i > start) terms.push(expr.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) fail('"]" without "["', expr);
  }
  if (depth !== 0) fail('unclosed "["', expr);
  if (expr.length > start) terms.push(expr.slice(start));
  return terms;
}

function termSize(term: Term): number {
  let n = 1;
  for (const group of term.groups) n *= group.reduce((a, r) => a + (r.hi - r.lo + 1), 0);
  return n;
}

function parse(expr: string): Term[] {
  if (typeof expr !== 'string') fail('not a string', String(expr));
  const terms = splitTerms(expr).map((t) => parseTerm(t, expr));
  if (terms.length === 0) fail('no host names', expr);
  return terms;
}

/** Number of names `expr` stands for (duplicates counted), without expanding it. */
export function countHostlist(expr: string): number {
  return parse(expr).reduce((a, t) => a + termSize(t), 0);
}

/**
 * Expand a hostlist expression into host names, in Slurm's order (duplicates kept, as Slurm does before
 * `hostlist_uniq`). Throws `SlurmParseError` on malformed input or when it stands for more than
 * `maxHosts` names.
 */
export function expandHostlist(expr: string, maxHosts = DEFAULT_MAX_HOSTS): string[] {
  const terms = parse(expr);
  const total = terms.reduce((a, t) => a + termSize(t), 0);
  if (total > maxHosts) fail(`expands to ${total} names, more than the cap of ${maxHosts}`, expr);
  const out: string[] = [];
  for (const term of terms) {
    let names = [term.texts[0] as string];
    term.groups.forEach((group, g) => {
      const after = term.texts[g + 1] as string;
      const next: string[] = [];
      for (const name of names) {
        for (const r of group) {
          for (let v = r.lo; v <= r.hi; v++) next.push(name + String(v).padStart(r.width, '0') + after);
        }
      }
      names = next;
    });
    for (const name of names) out.push(name);
  }
  return out;
}

/**
 * A node-list field as Slurm prints it: a hostlist, or one of its placeholders for "no nodes"
 * (`(null)`, `None assigned`, empty) which give `[]`.
 */
export function expandNodeField(value: string, maxHosts = DEFAULT_MAX_HOSTS): string[] {
  const v = value.trim();
  if (NO_NODES.has(v)) return [];
  return expandHostlist(v, maxHosts);
}

interface Numbered {
  prefix: string;
  digits: string;
  value: number;
}

/**
 * Compress host names into one hostlist expression the way Slurm prints them: names sharing a prefix and
 * ending in a number become `prefix[ranges]`, sorted and without duplicates; a run only continues while
 * every member prints with the padding of the run's first member, so `expandHostlist(compress(x))` gives
 * back exactly the distinct names of x.
 */
export function compressHostlist(names: readonly string[]): string {
  const plain = new Set<string>();
  const byPrefix = new Map<string, Numbered[]>();
  for (const name of names) {
    if (name === '' || !LITERAL.test(name)) fail('not a host name', name);
    const m = /^(.*?)(\d+)$/.exec(name);
    const digits = m?.[2];
    const value = digits === undefined ? NaN : Number(digits);
    if (!m || digits === undefined || !Number.isSafeInteger(value)) {
      plain.add(name);
      continue;
    }
    const prefix = m[1] as string;
    let list = byPrefix.get(prefix);
    if (!list) byPrefix.set(prefix, (list = []));
    list.push({ prefix, digits, value });
  }
  const parts: { key: string; text: string }[] = [...plain].map((p) => ({ key: p, text: p }));
  for (const [prefix, list] of byPrefix) {
    list.sort((a, b) => a.value - b.value || a.digits.length - b.digits.length);
    const ranges: string[] = [];
    let count = 0;
    let lo: Numbered | null = null;
    let hi: Numbered | null = null;
    const flush = (): void => {
      if (!lo || !hi) return;
      ranges.push(lo === hi ? lo.digits : `${lo.digits}-${String(hi.value).padStart(lo.digits.length, '0')}`);
    };
    for (const item of list) {
      if (hi && item.value === hi.value && item.digits === hi.digits) continue;
      count++;
      if (lo && hi && item.value === hi.value + 1 && item.digits === String(item.value).padStart(lo.digits.length, '0')) {
        hi = item;
        continue;
      }
      flush();
      lo = hi = item;
    }
    flush();
    const text = count === 1 && ranges.length === 1 ? `${prefix}${ranges[0]}` : `${prefix}[${ranges.join(',')}]`;
    parts.push({ key: prefix, text });
  }
  parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return parts.map((p) => p.text).join(',');
}
