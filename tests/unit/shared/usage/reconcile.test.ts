import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSreportAccountUtilization } from '../../../../shared/slurm/parse/sreport';
import { reconcile, type ReconcileContext } from '../../../../shared/usage/reconcile';
import type { UsageRow } from '../../../../shared/usage/usage-accumulator';

const H = 3600;
const from = Date.UTC(2026, 10, 24, 13) / 1000;
const to = from + 48 * H;

function row(scope: 'own' | 'tree', account: string, user: string, gpuH: number, billH: number): UsageRow {
  return { keys: ['alpha', account, user], scope, periodStart: from, periodEnd: to, gpuSeconds: gpuH * H, billingSeconds: billH * H, cpuSeconds: 0, preemptedGpuSeconds: 0, runs: 1, runningRuns: 0, jobs: 1 };
}

const ctx = (over: Partial<ReconcileContext> = {}): ReconcileContext => ({
  unit: 'hours', window: { from, to }, collectedAt: to + 10 * H, clustersWithReservations: new Set(), cacheStartsAt: new Map([['alpha', from - 86400]]), ...over,
});

describe('reconcile with sreport', () => {
  const report = parseSreportAccountUtilization(readFileSync(path.join(__dirname, '../../../fixtures/sreport/account-utilization-by-user-alpha.txt'), 'utf8'));

  it('matches within sreport rounding (half an hour-unit), per user and per subtree', () => {
    const ours = [row('own', 'nlp', 'alice', 2.4, 30.6), row('tree', 'nlp', '', 3.2, 45.7)];
    const lines = reconcile(ours, report.items.filter((r) => r.account === 'nlp'), ctx());
    const alice = lines.filter((l) => l.user === 'alice');
    expect(alice.map((l) => [l.tres, l.status])).toEqual([['billing', 'match'], ['gres/gpu', 'match']]);
    const nlpGpu = lines.find((l) => l.user === null && l.tres === 'gres/gpu');
    expect(nlpGpu).toMatchObject({ ours: 3.2, sreport: 3, status: 'match' });
    // bob is in sreport only: 2 GPU-hours we do not have, in a window our cache covers: purged records.
    const bob = lines.find((l) => l.user === 'bob' && l.tres === 'gres/gpu');
    expect(bob).toMatchObject({ ours: 0, sreport: 2, difference: -2, status: 'differs', reason: 'purged-records' });
  });

  it('says rollup lag when ours is higher and the window ended within the last two hours', () => {
    const ours = [row('own', 'vision', 'opsuser', 5, 61)];
    const sre = report.items.filter((r) => r.account === 'vision' && r.user === 'opsuser');
    expect(reconcile(ours, sre, ctx({ collectedAt: to + 1800 })).find((l) => l.tres === 'gres/gpu')).toMatchObject({ difference: 2, reason: 'rollup-lag' });
    expect(reconcile(ours, sre, ctx()).find((l) => l.tres === 'gres/gpu')?.reason).toBe('unexplained');
  });

  it('says reservations, or a cache that starts too late, when sreport is higher', () => {
    const sre = report.items.filter((r) => r.account === 'vision' && r.user === 'opsuser');
    expect(reconcile([], sre, ctx({ clustersWithReservations: new Set(['alpha']) }))[0]?.reason).toBe('reservations');
    expect(reconcile([], sre, ctx({ cacheStartsAt: new Map([['alpha', from + H]]) }))[0]?.reason).toBe('not-in-cache');
  });

  it('converts to minutes when sreport reported minutes', () => {
    const minutes = parseSreportAccountUtilization(readFileSync(path.join(__dirname, '../../../fixtures/sreport/account-utilization-by-user-alpha-noheader-minutes.txt'), 'utf8'), { unit: 'minutes' });
    const root = minutes.items.find((r) => r.account === 'root' && r.tres === 'gres/gpu');
    const ours = [{ ...row('tree', 'root', '', 0, 0), gpuSeconds: (root?.used ?? 0) * 60 + 20 }];
    expect(reconcile(ours, minutes.items.filter((r) => r.account === 'root'), ctx({ unit: 'minutes' })).find((l) => l.tres === 'gres/gpu')?.status).toBe('match');
  });
});
