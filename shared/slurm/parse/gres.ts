// Node GRES as scontrol / sinfo print them: `Gres=gpu:a100:4(S:0-1)` (configured) and
// `GresUsed=gpu:a100:2(IDX:0-1,3)` (in use), several entries separated by commas that may also appear
// inside the parentheses, `gpu:(null):0` for untyped GPUs, `(null)` for none, and other GRES such as
// `shard:8` or `mps:100` next to the GPUs.
import type { NodeGpus } from '../../model/node';
import { SlurmParseError } from './errors';
import { parseScaled } from './numbers';

export interface GresEntry {
  name: string;
  /** Null for untyped GRES (and for Slurm's `(null)` type). */
  type: string | null;
  count: number;
  /** `IDX:` indices in use, null when not printed; `IDX:N/A` gives `[]`. */
  indices: number[] | null;
  /** `S:` socket binding as printed (`0-1`), null when absent. */
  sockets: string | null;
  /** The entry exactly as printed, to keep other GRES in Slurm's own notation. */
  raw: string;
}

/** More indices than any node has GPUs: guards `IDX:0-4294967294` from expanding. */
const MAX_INDICES = 4096;

const EMPTY = new Set(['', '(null)', 'N/A', 'none', '(none)']);

/** Split on commas outside parentheses. */
function splitEntries(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth < 0) throw new SlurmParseError('gres', '")" without "("', text);
    } else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw new SlurmParseError('gres', 'unclosed "("', text);
  out.push(text.slice(start));
  return out;
}

function parseIndices(list: string, text: string): number[] {
  if (list === 'N/A' || list === '') return [];
  const out: number[] = [];
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new SlurmParseError('gres', `bad GPU index "${part}"`, text);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi - lo + out.length >= MAX_INDICES) throw new SlurmParseError('gres', `bad GPU index range "${part}"`, text);
    for (let i = lo; i <= hi; i++) out.push(i);
  }
  return out;
}

/**
 * Details are `IDX:0-1,3`, `S:0-1`, or several keys (`S:0,IDX:0-1`); a comma followed by `KEY:` starts the
 * next key. Unkeyed details (per-GPU shard usage `0/8,0/8`) are left to the entry's `raw` text.
 */
function detailKeys(detail: string): Map<string, string> {
  const keys = new Map<string, string>();
  let current: string | null = null;
  for (const token of detail.split(',')) {
    const m = /^([A-Za-z]+):(.*)$/.exec(token);
    if (m) {
      current = (m[1] as string).toUpperCase();
      keys.set(current, m[2] as string);
    } else if (current !== null) {
      keys.set(current, `${keys.get(current) as string},${token}`);
    }
  }
  return keys;
}

function parseEntry(raw: string, text: string): GresEntry {
  // The detail in parentheses comes last, but `(null)` as a type is also in parentheses: take it out first.
  let body = raw.replace(':(null)', ':\u0000');
  let detail: string | null = null;
  const open = body.indexOf('(');
  if (open !== -1) {
    if (!body.endsWith(')')) throw new SlurmParseError('gres', `text after ")" in "${raw}"`, text);
    detail = body.slice(open + 1, -1);
    body = body.slice(0, open);
  }
  const parts = body.split(':');
  const name = parts[0] as string;
  if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(name)) throw new SlurmParseError('gres', `bad GRES name in "${raw}"`, text);
  let type: string | null = null;
  let countText = '1';
  if (parts.length === 2) {
    // `gpu:4` (count) or `gpu:a100` (type, count 1): Slurm reads a purely numeric part as the count.
    const p = parts[1] as string;
    if (/^\d+(\.\d+)?[KMGTkmgt]?$/.test(p)) countText = p;
    else type = p;
  } else if (parts.length === 3) {
    type = parts[1] as string;
    countText = parts[2] as string;
  } else if (parts.length > 3) {
    throw new SlurmParseError('gres', `too many ":" in "${raw}"`, text);
  }
  if (type === '\u0000') type = null;
  else if (type !== null && !/^[A-Za-z0-9_.-]+$/.test(type)) throw new SlurmParseError('gres', `bad GRES type in "${raw}"`, text);
  const count = parseScaled(countText, '', 'gres');
  if (!Number.isInteger(count)) throw new SlurmParseError('gres', `fractional count in "${raw}"`, text);
  let indices: number[] | null = null;
  let sockets: string | null = null;
  if (detail !== null) {
    const keyed = detailKeys(detail);
    const idx = keyed.get('IDX');
    if (idx !== undefined) indices = parseIndices(idx, text);
    sockets = keyed.get('S') ?? null;
  }
  return { name, type, count, indices, sockets, raw };
}

/** Parse a GRES list (`Gres=` or `GresUsed=` value) into its entries; `(null)` and empty give `[]`. */
export function parseGres(text: string): GresEntry[] {
  const s = text.trim();
  if (EMPTY.has(s)) return [];
  return splitEntries(s).map((e) => {
    if (e === '') throw new SlurmParseError('gres', 'empty entry', text);
    return parseEntry(e, text);
  });
}

export interface NodeGres {
  gpus: NodeGpus[];
  /** Non-GPU GRES from the configured list, in Slurm's notation (`shard:8,mps:100`); null when none. */
  otherGres: string | null;
}

/**
 * Combine a node's configured GRES and its GRES in use into GPUs per type. Used counts are matched by
 * type; an untyped used count goes to the node's only GPU type, and when that is ambiguous (several
 * types) it is kept as its own untyped row with total 0 rather than guessed. `gresUsed` null means the
 * source did not report usage: used is 0 and indices unknown.
 */
export function parseNodeGres(gres: string, gresUsed: string | null): NodeGres {
  const totals = parseGres(gres);
  const used = gresUsed === null ? null : parseGres(gresUsed);
  const rows = new Map<string | null, NodeGpus>();
  const row = (type: string | null): NodeGpus => {
    let r = rows.get(type);
    if (!r) rows.set(type, (r = { type, total: 0, used: 0, usedIndices: used === null ? null : [] }));
    return r;
  };
  const other: string[] = [];
  for (const e of totals) {
    if (e.name === 'gpu') row(e.type).total += e.count;
    else other.push(e.raw);
  }
  for (const e of used ?? []) {
    if (e.name !== 'gpu') continue;
    let type = e.type;
    if (type === null && !rows.has(null)) {
      if (rows.size === 1) type = rows.keys().next().value as string | null;
      else if (e.count === 0) continue;
    }
    const r = row(type);
    r.used += e.count;
    if (e.indices === null) r.usedIndices = null;
    else if (r.usedIndices !== null) r.usedIndices = [...new Set([...r.usedIndices, ...e.indices])].sort((a, b) => a - b);
  }
  return { gpus: [...rows.values()], otherGres: other.length > 0 ? other.join(',') : null };
}
