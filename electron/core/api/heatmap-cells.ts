// The heatmap's cells straight from the node_samples blobs: one query for the cluster's node-days in the
// range (raw rows, no objects per sample), then each 8-byte sample is read in place and turned into one
// cell byte (shared/heatmap/cell-code). 1,000 nodes × 7 days is 8,000 blobs of 2.3 KB; decoding them
// sample by sample into objects (NodeSamplesRepo.timeline) would cost more than the whole 150 ms budget.
import type Database from 'better-sqlite3';
import { cellCode, classifyStateKey, CELL_DRAINING_BASE, CELL_OFF, CELL_SHARE_BASE, type CellClass } from '../../../shared/heatmap/cell-code';
import { BUCKET_SECONDS, BUCKETS_PER_DAY, dayOf } from '../store/node-sample-codec';

export interface CellGrid {
  /** First bucket's epoch second. */
  start: number;
  buckets: number;
  /** Row of each node name given. */
  cells: Uint8Array;
  /** Largest GPU total any sample of the row saw (a node that gained GPUs, or one not in the snapshot). */
  maxGpuTotal: Uint16Array;
}

/** Each state code's cell class, looked up once per call (there are few codes). */
function stateClasses(db: Database.Database): Map<number, CellClass> {
  const out = new Map<number, CellClass>();
  for (const r of db.prepare('SELECT code, state FROM node_state_codes').all() as { code: number; state: string }[]) out.set(r.code, classifyStateKey(r.state));
  return out;
}

/**
 * A day blob as u16 words (at most one day's worth): a view on the blob when it starts at an even offset,
 * else a copy into `scratch` (a Uint16Array cannot start at an odd byte). Little-endian, as the codec
 * writes and as this host and every platform Electron ships on are.
 */
export function sampleWords(b: Uint8Array, scratch: Uint16Array): Uint16Array {
  const words = Math.min(BUCKETS_PER_DAY * 4, b.byteLength >> 1, scratch.length);
  if ((b.byteOffset & 1) === 0) return new Uint16Array(b.buffer, b.byteOffset, words);
  new Uint8Array(scratch.buffer, scratch.byteOffset, words * 2).set(b.subarray(0, words * 2));
  return scratch.subarray(0, words);
}

/** Node names of a cluster that have samples between two days (inclusive). */
export function sampledNodeNames(db: Database.Database, clusterId: number, fromDay: number, toDay: number): string[] {
  return (
    db
      .prepare('SELECT DISTINCT n.name FROM node_samples s JOIN node_names n ON n.id = s.node_id WHERE n.cluster_id = ? AND s.day BETWEEN ? AND ?')
      .pluck()
      .all(clusterId, fromDay, toDay) as string[]
  );
}

/**
 * Cells of the given nodes (rows, in the order given) for buckets [first, first + buckets) where `first` is
 * a bucket number (epoch / 300).
 */
export function readCells(db: Database.Database, clusterId: number, nodes: readonly string[], first: number, buckets: number): CellGrid {
  const cells = new Uint8Array(nodes.length * buckets);
  const maxGpuTotal = new Uint16Array(nodes.length);
  const grid: CellGrid = { start: first * BUCKET_SECONDS, buckets, cells, maxGpuTotal };
  if (nodes.length === 0 || buckets === 0) return grid;
  const rowOf = new Map(nodes.map((n, i) => [n, i]));
  const classes = stateClasses(db);
  // Per state code: the fixed byte for states without a share, or 0 / 1 = "share on top of the service /
  // draining base" (as -1 / -2 here, so a fixed byte can never be mistaken for it).
  const fixed = new Int16Array(65536).fill(CELL_OFF); // a code missing from the table: shown as "unknown"
  for (const [code, cls] of classes) fixed[code] = cls === 'service' ? -1 : cls === 'draining' ? -2 : cellCode(cls, 0, 0);
  const fromDay = dayOf(first * BUCKET_SECONDS);
  const toDay = dayOf((first + buckets) * BUCKET_SECONDS - 1);
  const rows = db
    .prepare(`SELECT n.name, s.day, s.samples FROM node_samples s JOIN node_names n ON n.id = s.node_id
              WHERE n.cluster_id = ? AND s.day BETWEEN ? AND ?`)
    .raw(true)
    .all(clusterId, fromDay, toDay) as [string, number, Uint8Array][];
  const aligned = new Uint16Array(BUCKETS_PER_DAY * 4);
  for (const [name, day, b] of rows) {
    const row = rowOf.get(name);
    if (row === undefined) continue;
    const u16 = sampleWords(b, aligned);
    const words = u16.length;
    const dayFirst = day * BUCKETS_PER_DAY;
    const lo = Math.max(first, dayFirst);
    // A short blob (never written so by the codec): the buckets past its end have no samples.
    const hi = Math.min(first + buckets, dayFirst + BUCKETS_PER_DAY, dayFirst + (words >> 2));
    const base = row * buckets - first;
    let maxTotal = maxGpuTotal[row] as number;
    for (let bucket = lo; bucket < hi; bucket++) {
      const o = (bucket - dayFirst) << 2;
      const state = u16[o] as number;
      if (state === 0) continue;
      const total = u16[o + 2] as number;
      if (total > maxTotal) maxTotal = total;
      const f = fixed[state] as number;
      if (f >= 0) {
        cells[base + bucket] = f;
        continue;
      }
      // sharePercent inlined: round(100·alloc/total) in integers, capped at 100.
      const alloc = u16[o + 1] as number;
      const pct = total === 0 ? 0 : Math.min(100, Math.floor((200 * alloc + total) / (2 * total)));
      cells[base + bucket] = (f === -1 ? CELL_SHARE_BASE : CELL_DRAINING_BASE) + pct;
    }
    maxGpuTotal[row] = maxTotal;
  }
  return grid;
}
