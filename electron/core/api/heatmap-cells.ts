// The heatmap's cells straight from the node_samples blobs: one query per UTC day for the cluster's
// node-days (raw rows, no objects per sample), each 8-byte sample read in place and turned into one cell
// byte (shared/heatmap/cell-code). 1,000 nodes × 7 days is 8,000 blobs of 2.3 KB; decoding them sample by
// sample into objects (NodeSamplesRepo.timeline) would cost more than the whole 150 ms budget.
//
// Decoded days are kept per connection (DayCache below): the view reloads its range after every nodes
// snapshot (each minute), and a snapshot rewrites one day, so a week's reload reads that day's blobs again
// and copies the other six from memory (decoding all eight was ~50–110 ms of the 150 ms budget on our
// 2-CPU machines; the copy is ~2 ms). The cache is dropped day by day when a row of node_samples changes
// on this connection (temporary triggers: snapshot writes, retention, imports, cascades), whole when
// another connection commits anything (PRAGMA data_version: the CLI's sync, a worker), and never filled
// from inside a transaction (it could still roll back).
import type Database from 'better-sqlite3';
import { cellCode, classifyStateKey, CELL_DRAINING_BASE, CELL_OFF, CELL_SHARE_BASE } from '../../../shared/heatmap/cell-code';
import { BUCKET_SECONDS, BUCKETS_PER_DAY, dayOf } from '../store/node-sample-codec';

export interface CellGrid {
  /** First bucket's epoch second. */
  start: number;
  buckets: number;
  /** Row of each node name given. */
  cells: Uint8Array;
  /** Largest GPU total any sample of the row saw in the range's days (a node that gained GPUs, or one not in the snapshot). */
  maxGpuTotal: Uint16Array;
}

/** One UTC day of a cluster, decoded: a row of BUCKETS_PER_DAY cell bytes per node that has a row that day. */
export interface DayCells {
  day: number;
  names: string[];
  cells: Uint8Array;
  maxGpuTotal: Uint16Array;
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

/** round(100·alloc/total) capped at 100, for total and alloc below 256 (every real node): one lookup per sample. */
const SHARE = new Uint8Array(256 * 256);
for (let total = 1; total < 256; total++) {
  for (let alloc = 0; alloc < 256; alloc++) SHARE[(total << 8) | alloc] = Math.min(100, Math.floor((200 * alloc + total) / (2 * total)));
}

/**
 * Per state code: the fixed byte for states without a share, or -1 / -2 = "share on top of the service /
 * draining base" (negative, so a fixed byte can never be mistaken for it). A code missing from the table
 * is shown as "unknown" (CELL_OFF). Codes only ever get added, never change meaning.
 */
function stateBytes(db: Database.Database): Int16Array {
  const fixed = new Int16Array(65536).fill(CELL_OFF);
  for (const r of db.prepare('SELECT code, state FROM node_state_codes').raw(true).all() as [number, string][]) {
    const cls = classifyStateKey(r[1]);
    fixed[r[0]] = cls === 'service' ? -1 : cls === 'draining' ? -2 : cellCode(cls, 0, 0);
  }
  return fixed;
}

/** Decode one day of a cluster from its blobs. */
function decodeDay(db: Database.Database, clusterId: number, day: number, fixed: Int16Array): DayCells {
  const rows = db
    .prepare('SELECT n.name, s.samples FROM node_samples s JOIN node_names n ON n.id = s.node_id WHERE n.cluster_id = ? AND s.day = ?')
    .raw(true)
    .all(clusterId, day) as [string, Uint8Array][];
  const names = new Array<string>(rows.length);
  const cells = new Uint8Array(rows.length * BUCKETS_PER_DAY);
  const maxGpuTotal = new Uint16Array(rows.length);
  const aligned = new Uint16Array(BUCKETS_PER_DAY * 4);
  for (let i = 0; i < rows.length; i++) {
    const [name, blob] = rows[i] as [string, Uint8Array];
    names[i] = name;
    const u16 = sampleWords(blob, aligned);
    // A short blob (never written so by the codec): the buckets past its end have no samples.
    const end = u16.length >> 2;
    const base = i * BUCKETS_PER_DAY;
    let maxTotal = 0;
    for (let b = 0, o = 0; b < end; b++, o += 4) {
      const state = u16[o] as number;
      if (state === 0) continue;
      const total = u16[o + 2] as number;
      if (total > maxTotal) maxTotal = total;
      const f = fixed[state] as number;
      if (f >= 0) {
        cells[base + b] = f;
        continue;
      }
      const alloc = u16[o + 1] as number;
      const pct = total < 256 && alloc < 256 ? (SHARE[(total << 8) | alloc] as number) : total === 0 ? 0 : Math.min(100, Math.floor((200 * alloc + total) / (2 * total)));
      cells[base + b] = (f === -1 ? CELL_SHARE_BASE : CELL_DRAINING_BASE) + pct;
    }
    maxGpuTotal[i] = maxTotal;
  }
  return { day, names, cells, maxGpuTotal };
}

/** Decoded days kept for one connection; at most MAX_BYTES of cells (least recently used go first). */
class DayCache {
  static readonly MAX_BYTES = 64 * 1024 * 1024;
  private readonly days = new Map<string, DayCells>();
  private bytes = 0;
  private dataVersion: number;

  constructor(private readonly db: Database.Database) {
    this.dataVersion = this.currentDataVersion();
  }

  private currentDataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** Forget everything if another connection committed since the last look. */
  check(): void {
    const v = this.currentDataVersion();
    if (v !== this.dataVersion) {
      this.dataVersion = v;
      this.clear();
    }
  }

  clear(): void {
    this.days.clear();
    this.bytes = 0;
  }

  /** A row of node_samples for this day changed (any cluster). */
  dropDay(day: number): void {
    for (const [key, d] of this.days) {
      if (d.day === day) {
        this.days.delete(key);
        this.bytes -= d.cells.byteLength;
      }
    }
  }

  get(clusterId: number, day: number): DayCells | undefined {
    const key = `${clusterId}/${day}`;
    const d = this.days.get(key);
    if (d) {
      this.days.delete(key); // re-insert: Map order is the LRU order
      this.days.set(key, d);
    }
    return d;
  }

  put(clusterId: number, d: DayCells): void {
    if (this.db.inTransaction) return;
    this.days.set(`${clusterId}/${d.day}`, d);
    this.bytes += d.cells.byteLength;
    for (const [key, old] of this.days) {
      if (this.bytes <= DayCache.MAX_BYTES) break;
      this.days.delete(key);
      this.bytes -= old.cells.byteLength;
    }
  }
}

const caches = new WeakMap<Database.Database, DayCache | null>();
const TOUCH = 'clusterops_heatmap_day_changed';

/**
 * The connection's day cache, set up on first use: temporary triggers (this connection only, not part of
 * the schema) report each changed node_samples row's day. A read-only connection cannot create them and
 * writes nothing itself, so data_version alone covers it; a connection where neither holds gets no cache.
 */
function cacheOf(db: Database.Database, readonly: boolean): DayCache | null {
  let cache = caches.get(db);
  if (cache !== undefined) return cache;
  cache = null;
  if (!db.inTransaction) {
    const c = new DayCache(db);
    try {
      db.function(TOUCH, { deterministic: false }, (day: unknown) => {
        c.dropDay(Number(day));
        return null;
      });
      db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS ${TOUCH}_ins AFTER INSERT ON main.node_samples BEGIN SELECT ${TOUCH}(NEW.day); END;
               CREATE TEMP TRIGGER IF NOT EXISTS ${TOUCH}_upd AFTER UPDATE ON main.node_samples BEGIN SELECT ${TOUCH}(OLD.day); SELECT ${TOUCH}(NEW.day); END;
               CREATE TEMP TRIGGER IF NOT EXISTS ${TOUCH}_del AFTER DELETE ON main.node_samples BEGIN SELECT ${TOUCH}(OLD.day); END;`);
      cache = c;
    } catch {
      cache = readonly ? c : null;
    }
  }
  caches.set(db, cache);
  return cache;
}

/** The decoded days [fromDay, toDay] of a cluster, from the cache where it has them. */
export function readDays(db: Database.Database, clusterId: number, fromDay: number, toDay: number, readonly = false): DayCells[] {
  const cache = cacheOf(db, readonly);
  cache?.check();
  let fixed: Int16Array | null = null;
  const out: DayCells[] = [];
  for (let day = fromDay; day <= toDay; day++) {
    let d = cache?.get(clusterId, day);
    if (!d) {
      fixed ??= stateBytes(db);
      d = decodeDay(db, clusterId, day, fixed);
      cache?.put(clusterId, d);
    }
    out.push(d);
  }
  return out;
}

/** The days a bucket range [first, first + buckets) touches (`first` is a bucket number, epoch / 300). */
export function daySpan(first: number, buckets: number): [number, number] {
  return [dayOf(first * BUCKET_SECONDS), dayOf((first + Math.max(1, buckets)) * BUCKET_SECONDS - 1)];
}

/** Node names of a cluster that have samples between two days (inclusive). */
export function sampledNodeNames(db: Database.Database, clusterId: number, fromDay: number, toDay: number): string[] {
  return db
    .prepare('SELECT DISTINCT n.name FROM node_samples s JOIN node_names n ON n.id = s.node_id WHERE n.cluster_id = ? AND s.day BETWEEN ? AND ?')
    .pluck()
    .all(clusterId, fromDay, toDay) as string[];
}

/**
 * Cells of the given nodes (rows, in the order given) for buckets [first, first + buckets), copied from
 * decoded days into `into` at `offset` (a new array when not given).
 */
export function fillCells(days: readonly DayCells[], nodes: readonly string[], first: number, buckets: number, into?: Uint8Array, offset = 0): CellGrid {
  const cells = into ?? new Uint8Array(nodes.length * buckets);
  if (into && offset + nodes.length * buckets > into.length) throw new RangeError('heatmap cells do not fit the array given');
  const maxGpuTotal = new Uint16Array(nodes.length);
  const grid: CellGrid = { start: first * BUCKET_SECONDS, buckets, cells: into ? cells.subarray(offset, offset + nodes.length * buckets) : cells, maxGpuTotal };
  if (nodes.length === 0 || buckets === 0) return grid;
  const rowOf = new Map(nodes.map((n, i) => [n, i]));
  for (const d of days) {
    const dayFirst = d.day * BUCKETS_PER_DAY;
    const lo = Math.max(first, dayFirst) - dayFirst;
    const hi = Math.min(first + buckets, dayFirst + BUCKETS_PER_DAY) - dayFirst;
    if (hi <= lo) continue;
    const to = offset + dayFirst + lo - first;
    for (let i = 0; i < d.names.length; i++) {
      const row = rowOf.get(d.names[i] as string);
      if (row === undefined) continue;
      const src = i * BUCKETS_PER_DAY;
      cells.set(d.cells.subarray(src + lo, src + hi), to + row * buckets);
      const t = d.maxGpuTotal[i] as number;
      if (t > (maxGpuTotal[row] as number)) maxGpuTotal[row] = t;
    }
  }
  return grid;
}

/** Cells of the given nodes for buckets [first, first + buckets) of one cluster (see fillCells). */
export function readCells(db: Database.Database, clusterId: number, nodes: readonly string[], first: number, buckets: number): CellGrid {
  const [fromDay, toDay] = daySpan(first, buckets);
  return fillCells(readDays(db, clusterId, fromDay, toDay), nodes, first, buckets);
}
