// usage_daily, maintained at ingest: each stored run adds what it used to the local days it ran in; a run
// stored again with new values (a running run that finished, a requeue) first takes its old contribution
// back. Deltas are summed in memory and written once per transaction, in the same transaction as the
// runs, so the rollup always equals a full recomputation from the runs table (the unit tests check that).
//
// What a run contributes: from Start for ElapsedRaw seconds (a running run: up to when sacct looked), per
// local day: GPU-seconds per GPU type (gres/gpu:<type> × seconds; untyped GPUs under type ''), billing- and
// CPU-seconds (AllocTRES billing/cpu × seconds; for a run holding several GPU types these go to the first
// type in name order, so each is counted once), and runs_started on the day it started.
import type Database from 'better-sqlite3';
import type { DaySlice, LocalDays } from '../../../shared/usage/local-days';
import { readTres } from './tres-text';
import { RC, type RunValue } from './run-row';

const SEP = '\u0000';

export class UsageRollup {
  private readonly deltas = new Map<string, [number, number, number, number]>();
  private readonly slices: DaySlice[] = [];
  private readonly typeCache = new Map<string, [string, number][]>();
  private readonly upsert: Database.Statement;
  private readonly dropEmpty: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly clusterId: number,
    private readonly days: LocalDays,
  ) {
    this.upsert = db.prepare(`INSERT INTO usage_daily
      (cluster_id, day, account, user, partition, qos, gpu_type, gpu_seconds, billing_seconds, cpu_seconds, runs_started)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET gpu_seconds = gpu_seconds + excluded.gpu_seconds,
        billing_seconds = billing_seconds + excluded.billing_seconds, cpu_seconds = cpu_seconds + excluded.cpu_seconds,
        runs_started = runs_started + excluded.runs_started`);
    this.dropEmpty = db.prepare(`DELETE FROM usage_daily WHERE cluster_id = ? AND day = ? AND account = ? AND user = ?
      AND partition = ? AND qos = ? AND gpu_type = ? AND gpu_seconds = 0 AND billing_seconds = 0 AND cpu_seconds = 0 AND runs_started = 0`);
  }

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

  /** Add (sign 1) or take back (sign -1) what the run in `row` (RUN_COLUMNS order) used. */
  add(row: readonly RunValue[], sign: 1 | -1): void {
    const start = row[RC.start_time];
    if (start === null || start === undefined) return;
    const elapsed = row[RC.elapsed] as number;
    const gpus = row[RC.gpus] as number;
    const billing = row[RC.billing] as number;
    const cpus = row[RC.cpus] as number;
    const dims = `${row[RC.account]}${SEP}${row[RC.user]}${SEP}${row[RC.partition]}${SEP}${row[RC.qos]}${SEP}`;
    const types = gpus > 0 ? this.gpuTypes(row[RC.gpu_types] as RunValue, gpus) : [['', 0] as [string, number]];
    this.slices.length = 0;
    this.days.split(start as number, (start as number) + elapsed, this.slices);
    const startDay = this.days.dayOf(start as number).day;
    // A run that started and ended in the same second still started: count it on its day.
    if (this.slices.length === 0) this.slices.push({ day: startDay, seconds: 0 });
    for (const slice of this.slices) {
      for (let i = 0; i < types.length; i++) {
        const [type, count] = types[i] as [string, number];
        const key = `${slice.day}${SEP}${dims}${type}`;
        let d = this.deltas.get(key);
        if (!d) this.deltas.set(key, (d = [0, 0, 0, 0]));
        d[0] += sign * count * slice.seconds;
        if (i === 0) {
          d[1] += sign * billing * slice.seconds;
          d[2] += sign * cpus * slice.seconds;
          if (slice.day === startDay) d[3] += sign;
        }
      }
    }
  }

  /** Write the summed deltas (call inside the transaction that stored the runs). Returns keys touched. */
  flush(): number {
    let n = 0;
    for (const [key, d] of this.deltas) {
      if (d[0] === 0 && d[1] === 0 && d[2] === 0 && d[3] === 0) continue;
      const [day, account, user, partition, qos, type] = key.split(SEP) as [string, string, string, string, string, string];
      this.upsert.run(this.clusterId, day, account, user, partition, qos, type, d[0], d[1], d[2], d[3]);
      // A correction can bring a row to zero (a run moved to another account): do not keep empty rows.
      if (d[0] < 0 || d[1] < 0 || d[2] < 0 || d[3] < 0) this.dropEmpty.run(this.clusterId, day, account, user, partition, qos, type);
      n++;
    }
    this.deltas.clear();
    return n;
  }
}
