import { describe, expect, it } from 'vitest';
import { AccountTree } from '../../../../shared/usage/account-tree';
import { UsageAccumulator, type UsageOptions, type UsageRow } from '../../../../shared/usage/usage-accumulator';
import type { UsageRun } from '../../../../shared/usage/usage-run';

const utc = (y: number, m: number, d: number, h = 0, mi = 0) => Date.UTC(y, m - 1, d, h, mi) / 1000;
const H = 3600;

function run(over: Partial<UsageRun>): UsageRun {
  return {
    cluster: 'alpha', jobIdRaw: 1, account: 'nlp', user: 'alice', partition: 'gpu', qos: 'normal', state: 'COMPLETED',
    startTime: utc(2026, 11, 2, 10), endTime: utc(2026, 11, 2, 11), elapsed: H, cpus: 8, billing: 10, gpus: 1, gpuByType: {},
    ...over,
  };
}

function usage(runs: UsageRun[], options: Partial<UsageOptions> & Pick<UsageOptions, 'window'>) {
  const acc = new UsageAccumulator({ groupBy: [], collectedAt: options.window.to, ...options });
  for (const r of runs) acc.add(r);
  return acc.result();
}

const hours = (r: Pick<UsageRow, 'gpuSeconds'>) => r.gpuSeconds / H;
const byKey = (rows: UsageRow[]) => Object.fromEntries(rows.map((r) => [`${r.scope}:${r.keys.join('/')}`, r]));

describe('usage maths', () => {
  it('splits a run crossing two local midnights over a 25-hour DST day (Europe/Berlin, 2026-10-25)', () => {
    // 2026-10-24 22:00 CEST (20:00Z) for 28 h: 2 h on the 24th, all 25 h of the 25th, 1 h of the 26th (01:00 CET).
    const start = utc(2026, 10, 24, 20);
    const r = run({ startTime: start, endTime: start + 28 * H, elapsed: 28 * H, gpus: 2, billing: 20, cpus: 16 });
    const { rows, totals } = usage([r], { window: { from: utc(2026, 10, 20), to: utc(2026, 10, 30), timeZone: 'Europe/Berlin' }, groupBy: ['day'] });
    expect(rows.map((x) => [x.keys[0], hours(x)])).toEqual([
      ['2026-10-24', 4],
      ['2026-10-25', 50],
      ['2026-10-26', 2],
    ]);
    const day25 = rows[1] as UsageRow;
    expect(day25.periodEnd - day25.periodStart).toBe(25 * H);
    expect(day25.billingSeconds / H).toBe(500);
    expect(day25.cpuSeconds / H).toBe(400);
    // The run counts once, in the period where its counted part starts; as a job in each.
    expect(rows.map((x) => x.runs)).toEqual([1, 0, 0]);
    expect(rows.map((x) => x.jobs)).toEqual([1, 1, 1]);
    expect(totals.gpuSeconds / H).toBe(56);
    expect(totals.runs).toBe(1);
  });

  it('uses the zone chosen for the export, not UTC: the same run is one UTC day but two in Tokyo', () => {
    const r = run({ startTime: utc(2026, 11, 2, 13), elapsed: 4 * H, endTime: utc(2026, 11, 2, 17), gpus: 1 });
    const w = { from: utc(2026, 11, 1), to: utc(2026, 11, 5) };
    expect(usage([r], { window: { ...w, timeZone: 'UTC' }, groupBy: ['day'] }).rows.map((x) => [x.keys[0], hours(x)])).toEqual([['2026-11-02', 4]]);
    // 13:00Z = 22:00 JST; 15:00Z = midnight.
    expect(usage([r], { window: { ...w, timeZone: 'Asia/Tokyo' }, groupBy: ['day'] }).rows.map((x) => [x.keys[0], hours(x)])).toEqual([
      ['2026-11-02', 2],
      ['2026-11-03', 2],
    ]);
  });

  it('counts both runs of a requeued job, one job, and the preempted run as lost GPU-hours', () => {
    const first = run({ jobIdRaw: 100, state: 'PREEMPTED', startTime: utc(2026, 11, 2, 10), elapsed: H, endTime: utc(2026, 11, 2, 11), gpus: 4, billing: 40 });
    const second = run({ jobIdRaw: 100, state: 'COMPLETED', startTime: utc(2026, 11, 2, 12), elapsed: 2 * H, endTime: utc(2026, 11, 2, 14), gpus: 4, billing: 40 });
    const other = run({ jobIdRaw: 101, user: 'bob', gpus: 0, billing: 2, cpus: 2 });
    const { rows, totals } = usage([first, second, other], { window: { from: utc(2026, 11, 1), to: utc(2026, 11, 3), timeZone: 'UTC' }, groupBy: ['user'] });
    const alice = byKey(rows)['own:alice'] as UsageRow;
    expect(hours(alice)).toBe(12);
    expect(alice.preemptedGpuSeconds / H).toBe(4);
    expect(alice.billingSeconds / H).toBe(120);
    expect(alice.runs).toBe(2);
    expect(alice.jobs).toBe(1);
    expect(totals).toMatchObject({ runs: 3, jobs: 2, gpuSeconds: 12 * H, preemptedGpuSeconds: 4 * H, cpuSeconds: (8 * 3 + 2) * H });
  });

  it('splits typed GPUs per type, billing and CPU in proportion, untyped remainder as ""', () => {
    const r = run({ startTime: utc(2026, 11, 2, 10), elapsed: 2 * H, endTime: utc(2026, 11, 2, 12), gpus: 4, gpuByType: { a100: 2, v100: 1 }, billing: 40, cpus: 12 });
    const { rows, totals } = usage([r], { window: { from: utc(2026, 11, 1), to: utc(2026, 11, 3), timeZone: 'UTC' }, groupBy: ['gpuType'] });
    const k = byKey(rows);
    expect([hours(k['own:a100'] as UsageRow), hours(k['own:v100'] as UsageRow), hours(k['own:'] as UsageRow)]).toEqual([4, 2, 2]);
    expect((k['own:a100'] as UsageRow).billingSeconds / H).toBe(40); // 40 × 2 h × 2/4
    expect((k['own:v100'] as UsageRow).cpuSeconds / H).toBe(6); // 12 × 2 h × 1/4
    expect(rows.reduce((a, x) => a + x.billingSeconds, 0) / H).toBe(80);
    expect(totals.gpuSeconds / H).toBe(8);
  });

  it('multiplies the billing TRES (weights already applied by Slurm) by hours', () => {
    // billing=58 is what TRESBillingWeights="CPU=1.0,Mem=0.25G,GRES/gpu=10.0" gives for 2 GPUs, 8 CPUs, 64G.
    const r = run({ gpus: 2, cpus: 8, billing: 58, startTime: utc(2026, 11, 2, 10), elapsed: 90 * 60, endTime: utc(2026, 11, 2, 11, 30) });
    const { totals } = usage([r], { window: { from: utc(2026, 11, 1), to: utc(2026, 11, 3), timeZone: 'UTC' } });
    expect(totals.billingSeconds / H).toBe(87);
    expect(totals.gpuSeconds / H).toBe(3);
    expect(totals.cpuSeconds / H).toBe(12);
  });

  it('clips runs to the window pro rata, and ignores runs outside it or never started', () => {
    const from = utc(2026, 11, 2);
    const to = utc(2026, 11, 3);
    const straddleStart = run({ jobIdRaw: 1, startTime: from - 3 * H, elapsed: 5 * H, endTime: from + 2 * H, gpus: 1 });
    const straddleEnd = run({ jobIdRaw: 2, startTime: to - H, elapsed: 10 * H, endTime: to + 9 * H, gpus: 2 });
    const before = run({ jobIdRaw: 3, startTime: from - 5 * H, elapsed: H, endTime: from - 4 * H });
    const pending = run({ jobIdRaw: 4, state: 'PENDING', startTime: null, endTime: null, elapsed: 0 });
    const cancelledBeforeStart = run({ jobIdRaw: 5, state: 'CANCELLED', startTime: null, endTime: from + H, elapsed: 0 });
    const { totals } = usage([straddleStart, straddleEnd, before, pending, cancelledBeforeStart], { window: { from, to, timeZone: 'UTC' } });
    expect(totals.gpuSeconds / H).toBe(2 + 2);
    expect(totals.runs).toBe(2);
    expect(totals.jobs).toBe(2);
  });

  it('counts a still-running run up to the window end, or to when the data was collected if earlier, and flags it', () => {
    const from = utc(2026, 11, 2);
    const to = utc(2026, 11, 3);
    const r = run({ state: 'RUNNING', startTime: utc(2026, 11, 2, 20), endTime: null, elapsed: H, gpus: 2 });
    const later = usage([r], { window: { from, to, timeZone: 'UTC' }, collectedAt: to + 5 * H });
    expect(later.totals.gpuSeconds / H).toBe(8);
    expect(later.totals.runningRuns).toBe(1);
    const earlier = usage([r], { window: { from, to, timeZone: 'UTC' }, collectedAt: utc(2026, 11, 2, 22) });
    expect(earlier.totals.gpuSeconds / H).toBe(4);
    // Never less than what sacct already reported as elapsed.
    const stale = usage([r], { window: { from, to, timeZone: 'UTC' }, collectedAt: utc(2026, 11, 2, 20, 30) });
    expect(stale.totals.gpuSeconds / H).toBe(2);
  });

  it('rolls accounts up the tree (scope tree), keeping own rows, per cluster', () => {
    const tree = new AccountTree().addCluster('alpha', [
      { account: 'root', user: null, depth: 0, parent: null, rawShares: null, normShares: null, rawUsage: 0, effectiveUsage: null, fairShare: null, levelFs: null, grpTresMins: null, tresRunMins: null },
      { account: 'research', user: null, depth: 1, parent: 'root', rawShares: null, normShares: null, rawUsage: 0, effectiveUsage: null, fairShare: null, levelFs: null, grpTresMins: null, tresRunMins: null },
      { account: 'nlp', user: null, depth: 2, parent: 'research', rawShares: null, normShares: null, rawUsage: 0, effectiveUsage: null, fairShare: null, levelFs: null, grpTresMins: null, tresRunMins: null },
      { account: 'nlp', user: 'alice', depth: 3, parent: 'nlp', rawShares: null, normShares: null, rawUsage: 0, effectiveUsage: null, fairShare: null, levelFs: null, grpTresMins: null, tresRunMins: null },
    ]);
    const runs = [
      run({ jobIdRaw: 1, account: 'nlp', user: 'alice', gpus: 2 }),
      run({ jobIdRaw: 2, account: 'nlp', user: 'bob', gpus: 1 }),
      run({ jobIdRaw: 3, account: 'research', user: 'carol', gpus: 4 }),
    ];
    const { rows } = usage(runs, { window: { from: utc(2026, 11, 1), to: utc(2026, 11, 3), timeZone: 'UTC' }, groupBy: ['account', 'user'], accountTree: tree });
    const k = byKey(rows);
    expect(hours(k['own:nlp/alice'] as UsageRow)).toBe(2);
    expect(hours(k['own:research/carol'] as UsageRow)).toBe(4);
    expect(hours(k['tree:nlp/'] as UsageRow)).toBe(3);
    expect(hours(k['tree:research/'] as UsageRow)).toBe(7);
    expect(hours(k['tree:root/'] as UsageRow)).toBe(7);
    expect((k['tree:root/'] as UsageRow).jobs).toBe(3);
  });

  it('groups by ISO week and month in the zone, clipping the period bounds to the window', () => {
    // Sunday 2026-11-29 23:00 to Tuesday 2026-12-01 01:00 in New York (EST, UTC-5).
    const start = utc(2026, 11, 30, 4);
    const r = run({ startTime: start, elapsed: 26 * H, endTime: start + 26 * H, gpus: 1 });
    const window = { from: utc(2026, 11, 1, 4), to: utc(2026, 12, 15, 5), timeZone: 'America/New_York' };
    const weeks = usage([r], { window, groupBy: ['week'] }).rows;
    expect(weeks.map((x) => [x.keys[0], hours(x)])).toEqual([
      ['2026-W48', 1],
      ['2026-W49', 25],
    ]);
    // W49 starts Monday 2026-11-30 00:00 EST.
    expect(weeks[1]?.periodStart).toBe(utc(2026, 11, 30, 5));
    const months = usage([r], { window, groupBy: ['month'] }).rows;
    expect(months.map((x) => [x.keys[0], hours(x)])).toEqual([
      ['2026-11', 25],
      ['2026-12', 1],
    ]);
    expect(months[0]?.periodStart).toBe(window.from);
    expect(months[1]?.periodEnd).toBe(window.to);
  });

  it('refuses bad options with clear errors', () => {
    const window = { from: utc(2026, 11, 1), to: utc(2026, 11, 2), timeZone: 'UTC' };
    expect(() => new UsageAccumulator({ window: { ...window, to: window.from }, groupBy: [], collectedAt: 0 })).toThrow(/empty/);
    expect(() => new UsageAccumulator({ window, groupBy: ['day', 'month'], collectedAt: 0 })).toThrow(/one period/);
    expect(() => new UsageAccumulator({ window, groupBy: ['project' as never], collectedAt: 0 })).toThrow(/unknown grouping/);
    expect(() => new UsageAccumulator({ window: { ...window, timeZone: 'Mars/Olympus' }, groupBy: [], collectedAt: 0 })).toThrow();
  });
});

describe('usage maths with jobs arriving contiguously', () => {
  it('counts the same distinct jobs per row and in total as with sets', () => {
    const window = { from: utc(2026, 11, 1), to: utc(2026, 11, 4), timeZone: 'Europe/Berlin' };
    const runs: UsageRun[] = [];
    for (let job = 1; job <= 30; job++) {
      for (let r = 0; r < 1 + (job % 3); r++) {
        const start = utc(2026, 11, 1, (job * 5 + r * 7) % 60);
        runs.push(run({ jobIdRaw: job, user: ['alice', 'bob', 'carol'][job % 3] as string, cluster: job % 2 ? 'alpha' : 'beta', startTime: start, elapsed: 9 * H, endTime: start + 9 * H, gpus: 1 + (job % 4) }));
      }
    }
    // Contiguous per cluster and job, as the store reads them.
    runs.sort((a, b) => a.cluster.localeCompare(b.cluster) || a.jobIdRaw - b.jobIdRaw);
    const sets = usage(runs, { window, groupBy: ['user', 'day'] });
    const ordered = usage(runs, { window, groupBy: ['user', 'day'], jobsContiguous: true });
    expect(ordered).toEqual(sets);
    expect(ordered.totals.jobs).toBe(30);
  });
});
