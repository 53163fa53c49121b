// usage_daily, maintained at ingest: each stored run adds what it used to the local days it ran in; a run
// stored again with new values (a running run that finished, a requeue) first takes its old contribution
// back. Deltas are summed in memory and written once per transaction, in the same transaction as the
// runs, so the rollup always equals a full recomputation from the runs table (the unit tests check that).
//
// What a run contributes: from Start for ElapsedRaw seconds (a running run: up to when sacct looked), per
// local day: GPU-seconds per GPU type (gres/gpu:<type> × seconds; untyped GPUs under type ''), billing- and
// CPU-seconds (AllocTRES billing/cpu × seconds; for a run holding several GPU types these go to the first
// type in name order, so each is counted once), and runs_started on the day it started.
//
// UsageDeltas is the pure part (the ingest worker sums a batch's contributions with it, off the thread
// that writes); UsageRollup adds the writing.
import type Database from 'better-sqlite3';
import type { DaySlice, LocalDays } from '../../../shared/usage/local-days';
import { readTres } from './tres-text';
import { RC, type RunValue } from './run-row';
import { prepared } from './prepared';

const SEP = '\u0000';
const NO_GPU: [string, number][] = [['', 0]];
/** Interned ids below this pack three to a double exactly (51 bits). */
const ID_LIMIT = 2 ** 17;

/** One summed delta: day, account, user, partition, qos, GPU type, GPU-s, billing-s, CPU-s, runs started,
 * and the map key of the first six ('' in entries that only cross to the storing thread, see batch-usage). */
export type UsageEntry = [string, string, string, string, string, string, number, number, number, number, string];

/** The key of a usage_daily row in memory; every accumulator uses this one format so sums merge. */
export function usageKey(day: string, row: readonly RunValue[], type: string): string {
  return `${day}${SEP}${row[RC.account]}${SEP}${row[RC.user]}${SEP}${row[RC.partition]}${SEP}${row[RC.qos]}${SEP}${type}`;
}

/** Entries in usage_daily key order: day, account, user, partition, qos, GPU type. */
function byKey(a: UsageEntry, b: UsageEntry): number {
  for (let i = 0; i < 6; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export class UsageDeltas {
  private readonly deltas = new Map<string, UsageEntry>();
  /** Deltas added by interned ids (addCoded): account-user-partition, then day-qos-type, packed in numbers. */
  private readonly coded = new Map<number, Map<number, UsageEntry>>();
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly slices: DaySlice[] = [];
  private readonly typeCache = new Map<string, [string, number][]>();

  constructor(private readonly days: LocalDays) {}

  /** [type, count] pairs of a gpu_types column value, sorted by type; [['', gpus]] when untyped. */
  private gpuTypes(text: RunValue, gpus: number): [string, number][] {
    if (text === null || text === '') return [['', gpus]];
    let pairs = this.typeCache.get(text as string);
    if (!pairs) {
      const byType = readTres(text as string).gpuByType;
      pairs = Object.keys(byType)
        .sort()
        .map((t) => [t, byType[t] as number]);
      const typed = pairs.reduce((a, [, n]) => a + n, 0);
      // GPUs beyond the typed ones (a cluster tracking gres/gpu and only some types) stay untyped.
      if (typed < gpus) pairs.push(['', gpus - typed]);
      if (this.typeCache.size > 10_000) this.typeCache.clear();
      this.typeCache.set(text as string, pairs);
    }
    return pairs;
  }

  private entry(day: string, row: readonly RunValue[], type: string): UsageEntry {
    const key = usageKey(day, row, type);
    let e = this.deltas.get(key);
    if (!e) {
      e = [day, row[RC.account] as string, row[RC.user] as string, row[RC.partition] as string, row[RC.qos] as string, type, 0, 0, 0, 0, key];
      this.deltas.set(key, e);
    }
    return e;
  }

  /** Add (sign 1) or take back (sign -1) what the run in `row` (RUN_COLUMNS order) used. */
  add(row: readonly RunValue[], sign: 1 | -1): void {
    this.contribute(row, (day, type, gpuS, billS, cpuS, started) => {
      const e = this.entry(day, row, type);
      e[6] += sign * gpuS;
      e[7] += sign * billS;
      e[8] += sign * cpuS;
      e[9] += sign * started;
    });
  }

  /**
   * The rule, in one place: call `visit` for each (local day, GPU type) share of what the run used. Billing
   * and CPU go with the first type, runs started with the first type on the start day.
   */
  contribute(row: readonly RunValue[], visit: (day: string, type: string, gpuSeconds: number, billingSeconds: number, cpuSeconds: number, started: number) => void): void {
    const start = row[RC.start_time];
    if (start === null || start === undefined) return;
    const elapsed = row[RC.elapsed] as number;
    const gpus = row[RC.gpus] as number;
    const billing = row[RC.billing] as number;
    const cpus = row[RC.cpus] as number;
    const types = gpus > 0 ? this.gpuTypes(row[RC.gpu_types] as RunValue, gpus) : NO_GPU;
    const first = this.days.dayOf(start as number);
    const startDay = first.day;
    this.slices.length = 0;
    // Most runs start and end on one day: one slice, no splitting. A run that started and ended in the same
    // second still started: it counts on its day with 0 seconds.
    if ((start as number) + elapsed <= first.end) this.slices.push({ day: startDay, seconds: elapsed });
    else this.days.split(start as number, (start as number) + elapsed, this.slices);
    for (const slice of this.slices) {
      for (let i = 0; i < types.length; i++) {
        const [type, count] = types[i] as [string, number];
        if (i === 0) visit(slice.day, type, count * slice.seconds, billing * slice.seconds, cpus * slice.seconds, slice.day === startDay ? 1 : 0);
        else visit(slice.day, type, count * slice.seconds, 0, 0, 0);
      }
    }
  }

  /** Add a delta summed elsewhere (by the ingest worker), given by its parts. */
  addSums(day: string, account: string, user: string, partition: string, qos: string, type: string, gpuSeconds: number, billingSeconds: number, cpuSeconds: number, started: number): void {
    const key = `${day}${SEP}${account}${SEP}${user}${SEP}${partition}${SEP}${qos}${SEP}${type}`;
    let e = this.deltas.get(key);
    if (!e) {
      e = [day, account, user, partition, qos, type, 0, 0, 0, 0, key];
      this.deltas.set(key, e);
    }
    e[6] += gpuSeconds;
    e[7] += billingSeconds;
    e[8] += cpuSeconds;
    e[9] += started;
  }

  /** A number standing for `s` in addCoded, the same for the life of this object. */
  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(s, id);
      this.names.push(s);
    }
    return id;
  }

  /**
   * addSums by interned ids: on the storing thread, for the ~0.4 entries per row a worker's batches carry,
   * a string key built and hashed per entry cost ~1 µs each (measured, 8 % of that thread's time on 1M
   * rows); numbers packed from the ids cost a fraction. Folded into the string-keyed deltas by take().
   */
  addCoded(day: number, account: number, user: number, partition: number, qos: number, type: number, gpuSeconds: number, billingSeconds: number, cpuSeconds: number, started: number): void {
    const n = this.names;
    if ((day | account | user | partition | qos | type) >= ID_LIMIT) {
      this.addSums(n[day] as string, n[account] as string, n[user] as string, n[partition] as string, n[qos] as string, n[type] as string, gpuSeconds, billingSeconds, cpuSeconds, started);
      return;
    }
    const outer = (account * ID_LIMIT + user) * ID_LIMIT + partition;
    const inner = (day * ID_LIMIT + qos) * ID_LIMIT + type;
    let byInner = this.coded.get(outer);
    if (!byInner) this.coded.set(outer, (byInner = new Map()));
    let e = byInner.get(inner);
    if (!e) {
      e = [n[day] as string, n[account] as string, n[user] as string, n[partition] as string, n[qos] as string, n[type] as string, 0, 0, 0, 0, ''];
      byInner.set(inner, e);
    }
    e[6] += gpuSeconds;
    e[7] += billingSeconds;
    e[8] += cpuSeconds;
    e[9] += started;
  }

  /** The summed deltas, and forget them. Entries added only by ids (addCoded) come without their key (''). */
  take(): UsageEntry[] {
    let out: UsageEntry[];
    if (this.deltas.size === 0) {
      // Nothing to merge them with (an import of new runs): skip building ~50k string keys (~80 ms).
      out = [];
      for (const byInner of this.coded.values()) for (const e of byInner.values()) out.push(e);
    } else {
      for (const byInner of this.coded.values()) {
        for (const e of byInner.values()) this.addSums(e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], e[8], e[9]);
      }
      out = [...this.deltas.values()];
    }
    this.coded.clear();
    this.deltas.clear();
    return out;
  }
}

export class UsageRollup extends UsageDeltas {
  private readonly upsert: Database.Statement;
  private readonly dropEmpty: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly clusterId: number,
    days: LocalDays,
  ) {
    super(days);
    this.upsert = prepared(db, `INSERT INTO usage_daily
      (cluster_id, day, account, user, partition, qos, gpu_type, gpu_seconds, billing_seconds, cpu_seconds, runs_started)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET gpu_seconds = gpu_seconds + excluded.gpu_seconds,
        billing_seconds = billing_seconds + excluded.billing_seconds, cpu_seconds = cpu_seconds + excluded.cpu_seconds,
        runs_started = runs_started + excluded.runs_started`);
    this.dropEmpty = prepared(db, `DELETE FROM usage_daily WHERE cluster_id = ? AND day = ? AND account = ? AND user = ?
      AND partition = ? AND qos = ? AND gpu_type = ? AND gpu_seconds = 0 AND billing_seconds = 0 AND cpu_seconds = 0 AND runs_started = 0`);
  }

  /** Write the summed deltas (call inside the transaction that stored the runs). Returns rows touched. */
  flush(): number {
    let n = 0;
    // In key order the upserts walk the usage_daily B-tree front to back instead of jumping around it.
    const entries = this.take().sort(byKey);
    for (const e of entries) {
      if (e[6] === 0 && e[7] === 0 && e[8] === 0 && e[9] === 0) continue;
      this.upsert.run(this.clusterId, e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], e[8], e[9]);
      // A correction can bring a row to zero (a run moved to another account): do not keep empty rows.
      if (e[6] < 0 || e[7] < 0 || e[8] < 0 || e[9] < 0) this.dropEmpty.run(this.clusterId, e[0], e[1], e[2], e[3], e[4], e[5]);
      n++;
    }
    return n;
  }
}
