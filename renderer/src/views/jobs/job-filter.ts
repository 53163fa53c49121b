// Filtering and sorting the Jobs table on its columns. Filters combine with AND, the values chosen within
// one filter with OR; the free text must match every word somewhere in the row. Work per keystroke is one
// pass over the dictionaries (small, except job ids and names) and one pass over the rows in sort order.
import { NULL_U32, type DecodedDict } from '../../../../shared/api/column-codec';
import type { JobsData } from './jobs-data';

export const FACETS = ['cluster', 'state', 'reason', 'partition', 'user', 'account', 'qos', 'gpuType'] as const;
export type FacetName = (typeof FACETS)[number];

export const FACET_TITLES: Record<FacetName, string> = {
  cluster: 'cluster',
  state: 'state',
  reason: 'reason',
  partition: 'partition',
  user: 'user',
  account: 'account',
  qos: 'QOS',
  gpuType: 'GPU type',
};

/** What a facet filters on: a label per code, a code per row, and how many rows carry each code. */
export interface Facet {
  labels: string[];
  codes: Uint32Array;
  counts: Uint32Array;
}

export const NO_REASON = 'None';
export const NO_GPUS = 'no GPUs';
export const ANY_GPU_TYPE = 'any type';

function facetOfDict(d: DecodedDict, nullLabel: string): Facet {
  const labels = [...d.dict, nullLabel];
  const nullCode = d.dict.length;
  const codes = new Uint32Array(d.codes.length);
  const counts = new Uint32Array(labels.length);
  for (let i = 0; i < codes.length; i++) {
    const c = d.codes[i] as number;
    const k = c === NULL_U32 ? nullCode : c;
    codes[i] = k;
    counts[k] = (counts[k] as number) + 1;
  }
  return { labels, codes, counts };
}

/** The facets of a table, built once per answer from the core. */
export function buildFacets(d: JobsData): Record<FacetName, Facet> {
  const clusterCounts = new Uint32Array(d.clusters.length);
  for (let i = 0; i < d.count; i++) { const c = d.cluster[i] as number; clusterCounts[c] = (clusterCounts[c] as number) + 1; }
  // GPU type: jobs without GPUs and GPU jobs that take any type are told apart.
  const gpu = facetOfDict(d.gpuType, ANY_GPU_TYPE);
  const noGpus = gpu.labels.length;
  gpu.labels.push(NO_GPUS);
  const gpuCounts = new Uint32Array(gpu.labels.length);
  for (let i = 0; i < d.count; i++) {
    if (d.gpus[i] === 0) gpu.codes[i] = noGpus;
    const g = gpu.codes[i] as number;
    gpuCounts[g] = (gpuCounts[g] as number) + 1;
  }
  gpu.counts = gpuCounts;
  return {
    cluster: { labels: d.clusters.map((c) => c.name), codes: d.cluster, counts: clusterCounts },
    state: facetOfDict(d.state, '(none)'),
    reason: facetOfDict(d.reason, NO_REASON),
    partition: facetOfDict(d.partition, '(none)'),
    user: facetOfDict(d.user, '(none)'),
    account: facetOfDict(d.account, '(none)'),
    qos: facetOfDict(d.qos, '(none)'),
    gpuType: gpu,
  };
}

export type FacetFilter = Partial<Record<FacetName, readonly string[]>>;

export interface JobsFilter {
  facets: FacetFilter;
  text: string;
}

/** Columns the free text searches. */
const TEXT_COLUMNS = ['jobId', 'name', 'user', 'account', 'partition', 'qos', 'state', 'reason', 'nodes', 'gpuType'] as const;

/** Lower-cased dictionaries, computed once per table (the text filter runs on every keystroke). */
export type LowerDicts = Record<(typeof TEXT_COLUMNS)[number], string[]> & { cluster: string[] };

export function lowerDicts(d: JobsData): LowerDicts {
  const out = { cluster: d.clusters.map((c) => c.name.toLowerCase()) } as LowerDicts;
  for (const col of TEXT_COLUMNS) out[col] = d[col].dict.map((s) => s.toLowerCase());
  return out;
}

/** Row indices, in `order`, that pass every filter. */
export function filterRows(d: JobsData, facets: Record<FacetName, Facet>, lower: LowerDicts, filter: JobsFilter, order: Uint32Array): Uint32Array {
  // Each active facet becomes a lookup table: allowed[code].
  const tests: { codes: Uint32Array; allowed: Uint8Array }[] = [];
  for (const name of FACETS) {
    const wanted = filter.facets[name];
    if (!wanted || wanted.length === 0) continue;
    const f = facets[name];
    const allowed = new Uint8Array(f.labels.length);
    const set = new Set(wanted);
    f.labels.forEach((l, k) => {
      if (set.has(l)) allowed[k] = 1;
    });
    tests.push({ codes: f.codes, allowed });
  }
  // Each word of the text: per column, which dictionary entries contain it; the row needs one column.
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  const wordTests = words.map((w) => {
    const cols = TEXT_COLUMNS.map((col) => ({ codes: d[col].codes, hit: Uint8Array.from(lower[col], (s) => (s.includes(w) ? 1 : 0)) }));
    return { cols, cluster: Uint8Array.from(lower.cluster, (s) => (s.includes(w) ? 1 : 0)) };
  });
  const out = new Uint32Array(order.length);
  let n = 0;
  rows: for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    for (const t of tests) if (t.allowed[t.codes[i] as number] === 0) continue rows;
    for (const wt of wordTests) {
      let hit = wt.cluster[d.cluster[i] as number] === 1;
      for (let c = 0; !hit && c < wt.cols.length; c++) {
        const col = wt.cols[c] as { codes: Uint32Array; hit: Uint8Array };
        const code = col.codes[i] as number;
        hit = code !== NULL_U32 && col.hit[code] === 1;
      }
      if (!hit) continue rows;
    }
    out[n++] = i;
  }
  return out.subarray(0, n);
}

export type SortColumn =
  | 'cluster' | 'jobId' | 'name' | 'user' | 'account' | 'partition' | 'qos' | 'state' | 'reason' | 'gpus' | 'nodes'
  | 'submitTime' | 'startTime' | 'timeLimit' | 'restarts' | 'priority';
export interface SortKey {
  column: SortColumn;
  dir: 'asc' | 'desc';
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Rank of each dictionary entry in natural order (`job-2` before `job-10`); nulls rank last. */
function dictRanks(dict: readonly string[]): Uint32Array {
  const idx = dict.map((_, k) => k).sort((a, b) => collator.compare(dict[a] as string, dict[b] as string));
  const ranks = new Uint32Array(dict.length);
  idx.forEach((k, r) => (ranks[k] = r));
  return ranks;
}

/** A sort key per row (Float64: numbers as they are, strings by rank); null values sort last either way. */
function sortValues(d: JobsData, column: SortColumn): Float64Array {
  const v = new Float64Array(d.count);
  if (column === 'cluster') {
    const ranks = dictRanks(d.clusters.map((c) => c.name));
    for (let i = 0; i < d.count; i++) v[i] = ranks[d.cluster[i] as number] as number;
    return v;
  }
  if (column === 'gpus' || column === 'submitTime' || column === 'startTime' || column === 'timeLimit' || column === 'restarts' || column === 'priority') {
    const col = d[column];
    for (let i = 0; i < d.count; i++) {
      const x = col[i] as number;
      v[i] = x === NULL_U32 ? NaN : x;
    }
    return v;
  }
  const dict = d[column];
  const ranks = dictRanks(dict.dict);
  for (let i = 0; i < d.count; i++) {
    const c = dict.codes[i] as number;
    v[i] = c === NULL_U32 ? NaN : (ranks[c] as number);
  }
  return v;
}

/** Row indices in the order of `key`; ties keep the core's order (cluster, then job id). */
export function sortRows(d: JobsData, key: SortKey | null): Uint32Array {
  const order = new Uint32Array(d.count);
  for (let i = 0; i < d.count; i++) order[i] = i;
  if (!key) return order;
  const v = sortValues(d, key.column);
  const sign = key.dir === 'asc' ? 1 : -1;
  return order.sort((a, b) => {
    const x = v[a] as number;
    const y = v[b] as number;
    const xn = Number.isNaN(x);
    const yn = Number.isNaN(y);
    if (xn || yn) return xn && yn ? a - b : xn ? 1 : -1;
    return x === y ? a - b : (x - y) * sign;
  });
}
