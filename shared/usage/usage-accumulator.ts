// Usage over a window, grouped: the pure maths of GPU-, billing- and CPU-hours, run and job counts,
// running runs and GPU-hours lost to preemption, by any of cluster, account (optionally rolled up the
// account tree), user, partition, QOS, GPU type and one calendar period. The rules are in rules.ts; this
// module applies them. Runs are added one at a time (a million-run export streams them through) and only
// the groups are kept.
import type { AccountTree } from './account-tree';
import { PeriodSplitter, periodBounds, type Period } from './periods';
import { gpuTypeShares, heldInterval, isStillRunning, type UsageRun } from './usage-run';

export type UsageDimension = 'cluster' | 'account' | 'user' | 'partition' | 'qos' | 'gpuType' | Period;

export const USAGE_DIMENSIONS: readonly UsageDimension[] = ['cluster', 'account', 'user', 'partition', 'qos', 'gpuType', 'day', 'week', 'month'];
const PERIODS: readonly string[] = ['day', 'week', 'month'];

export interface UsageWindow {
  /** Epoch seconds, [from, to). */
  from: number;
  to: number;
  /** IANA zone of period boundaries (and of the times in exports). */
  timeZone: string;
}

export interface UsageOptions {
  window: UsageWindow;
  groupBy: readonly UsageDimension[];
  /** When the data was collected: a still-running run counts up to min(window end, this). */
  collectedAt: number;
  /** Per cluster, when its accounting was collected (overrides collectedAt for that cluster's runs). */
  collectedAtByCluster?: ReadonlyMap<string, number>;
  /** With account in groupBy: also emit scope 'tree' rows summing each account's subtree. */
  accountTree?: AccountTree;
  /**
   * The caller promises all runs of a job arrive one after another (e.g. read ordered by cluster and job
   * id): distinct jobs are then counted with one number per row instead of a set of every job id, which
   * keeps a million-run export's memory flat. Otherwise sets are used (any order is right).
   */
  jobsContiguous?: boolean;
}

export interface UsageSums {
  gpuSeconds: number;
  billingSeconds: number;
  cpuSeconds: number;
  preemptedGpuSeconds: number;
  runs: number;
  runningRuns: number;
  jobs: number;
}

export interface UsageRow extends UsageSums {
  /** Values of the grouping dimensions, in groupBy order ('' = none, e.g. no GPU type or untyped GPUs). */
  keys: string[];
  /** 'own' (usage charged to the account itself), or 'tree' (the account and all below it). */
  scope: 'own' | 'tree';
  /** With a period dimension: the period's [start, end) clipped to the window; else the window. */
  periodStart: number;
  periodEnd: number;
}

interface Acc extends UsageRow {
  /** Job keys (cluster index × 2^32 + JobIDRaw): numbers, because a million strings in sets cost hundreds of MB. */
  jobSet: Set<number> | null;
  /** With jobsContiguous: the last job counted in this row. */
  lastJob: number;
}

const SEP = '\u0000';

export function emptySums(): UsageSums {
  return { gpuSeconds: 0, billingSeconds: 0, cpuSeconds: 0, preemptedGpuSeconds: 0, runs: 0, runningRuns: 0, jobs: 0 };
}

export class UsageAccumulator {
  private readonly rows = new Map<string, Acc>();
  private readonly totalJobs = new Set<number>();
  private lastTotalJob = -1;
  private totalJobCount = 0;
  private readonly clusterIndex = new Map<string, number>();
  private readonly totalSums = emptySums();
  private readonly splitter: PeriodSplitter | null;
  private readonly periodAt: number;
  private readonly accountAt: number;
  private readonly userAt: number;
  private readonly typeAt: number;
  private readonly runningUntil: number;
  private readonly keyBuf: string[];
  private added = 0;

  constructor(readonly options: UsageOptions) {
    const { groupBy, window } = options;
    if (!(window.to > window.from)) throw new RangeError(`usage window is empty: from ${window.from} is not before to ${window.to}`);
    const seen = new Set<string>();
    for (const d of groupBy) {
      if (!USAGE_DIMENSIONS.includes(d)) throw new RangeError(`unknown grouping ${JSON.stringify(d)} (one of ${USAGE_DIMENSIONS.join(', ')})`);
      if (seen.has(d)) throw new RangeError(`grouping ${d} given twice`);
      seen.add(d);
    }
    const periods = groupBy.filter((d) => PERIODS.includes(d));
    if (periods.length > 1) throw new RangeError(`group by one period at most (got ${periods.join(', ')})`);
    this.periodAt = periods.length === 1 ? groupBy.indexOf(periods[0] as UsageDimension) : -1;
    // The splitter also validates the zone (a typed error for a name that is not an IANA zone).
    const splitter = new PeriodSplitter(window.timeZone, (periods[0] as Period | undefined) ?? 'day');
    this.splitter = this.periodAt === -1 ? null : splitter;
    this.accountAt = groupBy.indexOf('account');
    this.userAt = groupBy.indexOf('user');
    this.typeAt = groupBy.indexOf('gpuType');
    this.runningUntil = Math.min(window.to, options.collectedAt);
    this.keyBuf = new Array<string>(groupBy.length).fill('');
  }

  /** Runs added so far (counted or not). */
  get size(): number {
    return this.added;
  }

  add(run: UsageRun): void {
    this.added++;
    const byCluster = this.options.collectedAtByCluster?.get(run.cluster);
    const held = heldInterval(run, byCluster === undefined ? this.runningUntil : Math.min(this.options.window.to, byCluster));
    if (!held) return;
    const { from, to } = this.options.window;
    const start = Math.max(held[0], from);
    const end = Math.min(held[1], to);
    if (end <= start) return;
    const running = isStillRunning(run) ? 1 : 0;
    const preempted = run.state === 'PREEMPTED';
    let ci = this.clusterIndex.get(run.cluster);
    if (ci === undefined) this.clusterIndex.set(run.cluster, (ci = this.clusterIndex.size));
    // JobIDRaw is a 32-bit number in Slurm.
    const jobKey = ci * 4_294_967_296 + run.jobIdRaw;
    const seconds = end - start;
    const t = this.totalSums;
    t.gpuSeconds += run.gpus * seconds;
    t.billingSeconds += run.billing * seconds;
    t.cpuSeconds += run.cpus * seconds;
    if (preempted) t.preemptedGpuSeconds += run.gpus * seconds;
    t.runs++;
    t.runningRuns += running;
    if (!this.options.jobsContiguous) this.totalJobs.add(jobKey);
    else if (jobKey !== this.lastTotalJob) {
      this.lastTotalJob = jobKey;
      this.totalJobCount++;
    }

    // GPU types as shares: one share (the whole run) unless grouped by type.
    const types = this.typeAt === -1 ? null : gpuTypeShares(run);
    const shares: [string, number, number][] = types === null || types.length === 0 ? [['', run.gpus, 1]] : types.map(([type, n]) => [type, n, n / run.gpus]);
    const slices = this.splitter ? this.splitter.split(start, end) : [{ label: '', start, end }];
    const lineage = this.accountAt !== -1 && this.options.accountTree ? this.options.accountTree.lineage(run.cluster, run.account) : null;
    for (let s = 0; s < slices.length; s++) {
      const slice = slices[s] as { label: string; start: number; end: number };
      const sec = slice.end - slice.start;
      const first = s === 0 ? 1 : 0;
      for (const [type, gpus, fraction] of shares) {
        const keys = this.fill(run, slice.label, type);
        this.bump(keys, 'own', gpus * sec, run.billing * fraction * sec, run.cpus * fraction * sec, preempted ? gpus * sec : 0, first, first * running, jobKey);
        if (lineage) {
          // Tree rows: the run's account and every ancestor, across users.
          if (this.userAt !== -1) keys[this.userAt] = '';
          for (const account of lineage) {
            keys[this.accountAt] = account;
            this.bump(keys, 'tree', gpus * sec, run.billing * fraction * sec, run.cpus * fraction * sec, preempted ? gpus * sec : 0, first, first * running, jobKey);
          }
        }
      }
    }
  }

  private fill(run: UsageRun, period: string, type: string): string[] {
    const keys = this.keyBuf;
    const g = this.options.groupBy;
    for (let i = 0; i < g.length; i++) {
      const d = g[i] as UsageDimension;
      keys[i] = d === 'cluster' ? run.cluster : d === 'account' ? run.account : d === 'user' ? run.user : d === 'partition' ? run.partition : d === 'qos' ? run.qos : d === 'gpuType' ? type : period;
    }
    return keys;
  }

  private bump(keys: string[], scope: 'own' | 'tree', gpuS: number, billS: number, cpuS: number, preS: number, runs: number, running: number, jobKey: number): void {
    const key = `${scope}${SEP}${keys.join(SEP)}`;
    let acc = this.rows.get(key);
    if (!acc) {
      const [periodStart, periodEnd] = this.periodOf(keys);
      acc = { keys: [...keys], scope, periodStart, periodEnd, ...emptySums(), jobSet: this.options.jobsContiguous ? null : new Set(), lastJob: -1 };
      this.rows.set(key, acc);
    }
    acc.gpuSeconds += gpuS;
    acc.billingSeconds += billS;
    acc.cpuSeconds += cpuS;
    acc.preemptedGpuSeconds += preS;
    acc.runs += runs;
    acc.runningRuns += running;
    if (acc.jobSet) acc.jobSet.add(jobKey);
    else if (acc.lastJob !== jobKey) {
      acc.lastJob = jobKey;
      acc.jobs++;
    }
  }

  private periodOf(keys: readonly string[]): [number, number] {
    const { from, to, timeZone } = this.options.window;
    if (this.periodAt === -1 || !this.splitter) return [from, to];
    const label = keys[this.periodAt] as string;
    const days = this.splitter.days;
    let start: number;
    let end: number;
    if (this.splitter.period === 'day') {
      // Cheap path: the day is cached in the splitter's LocalDays.
      const probe = Math.max(from, Math.min(to - 1, Math.floor(Date.parse(`${label}T12:00:00Z`) / 1000)));
      const d = days.dayOf(probe);
      [start, end] = d.day === label ? [d.start, d.end] : this.bounds(label, timeZone);
    } else [start, end] = this.bounds(label, timeZone);
    return [Math.max(from, start), Math.min(to, end)];
  }

  private bounds(label: string, timeZone: string): [number, number] {
    return periodBounds(label, this.splitter?.period ?? 'day', timeZone);
  }

  /** Rows sorted by scope then keys (periods sort by time, as their labels are ISO). Forgets job sets. */
  result(): { rows: UsageRow[]; totals: UsageSums } {
    const rows: UsageRow[] = [];
    for (const acc of this.rows.values()) {
      const { jobSet, lastJob: _, ...row } = acc;
      if (jobSet) {
        row.jobs = jobSet.size;
        jobSet.clear();
      }
      rows.push(row);
    }
    rows.sort((a, b) => (a.scope === b.scope ? compareKeys(a.keys, b.keys) : a.scope === 'own' ? -1 : 1));
    return { rows, totals: { ...this.totalSums, jobs: this.options.jobsContiguous ? this.totalJobCount : this.totalJobs.size } };
  }
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

