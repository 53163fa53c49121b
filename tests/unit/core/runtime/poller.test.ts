// The poller's scheduling, with a fake sync and a virtual clock: each cluster on its own intervals,
// cycles of one cluster never overlap, and a slow or failing cluster does not hold back another.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL, type ClusterConfig } from '../../../../shared/model/cluster';
import type { SnapshotKind } from '../../../../shared/model/snapshot';
import type { ClusterSync, SyncResult } from '../../../../electron/core/runtime/cluster-sync';
import { Poller, SCHEDULES } from '../../../../electron/core/runtime/poller';

function cluster(name: string, poll = DEFAULT_POLL): ClusterConfig {
  return { name, host: 'h', port: 22, user: 'u', auth: { kind: 'agent' }, jump: [], knownHostsFiles: [], poll, enabled: true };
}

/** Virtual time: sleeps resolve in time order as soon as every loop is waiting. */
function virtualTime() {
  let now = 0;
  const sleepers: { at: number; resolve: () => void }[] = [];
  return {
    clock: { now: () => now },
    sleepUntil: (at: number, signal: AbortSignal) =>
      new Promise<void>((resolve) => {
        if (signal.aborted) return resolve();
        sleepers.push({ at, resolve });
        signal.addEventListener('abort', () => resolve());
      }),
    /** Advance to the earliest sleeper and wake it. */
    async step() {
      await new Promise((r) => setTimeout(r, 0));
      sleepers.sort((a, b) => a.at - b.at);
      const next = sleepers.shift();
      if (!next) return false;
      now = Math.max(now, next.at);
      next.resolve();
      await new Promise((r) => setTimeout(r, 0));
      return true;
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('Poller', () => {
  it('runs each schedule on its own interval, planned from the end of the previous cycle', async () => {
    const vt = virtualTime();
    const calls: { at: number; kinds: readonly SnapshotKind[] }[] = [];
    const sync = {
      sync: async (_name: string, opts: { kinds: readonly SnapshotKind[] }) => {
        calls.push({ at: vt.clock.now(), kinds: opts.kinds });
        vt.advance(2_000); // every cycle takes 2 s
        return { cluster: 'a', snapshots: [], capabilities: {} as never, errors: [] } as SyncResult;
      },
    } as unknown as ClusterSync;
    const poller = new Poller(sync, {}, { clock: vt.clock, sleepUntil: vt.sleepUntil });
    poller.start([cluster('a')]);
    while (vt.clock.now() < 16 * 60_000) if (!(await vt.step())) break;
    await poller.stop();
    // First cycle collects everything; then the queue every 60 s after the previous cycle ended.
    expect(calls[0]?.kinds).toEqual([...SCHEDULES.queue, ...SCHEDULES.accounting, ...SCHEDULES.fairshare]);
    const queueCycles = calls.filter((c) => c.kinds.includes('queue'));
    for (let i = 1; i < queueCycles.length; i++) expect((queueCycles[i] as { at: number }).at - (queueCycles[i - 1] as { at: number }).at).toBe(62_000);
    const accounting = calls.filter((c) => c.kinds.includes('accounting')).map((c) => c.at);
    expect(accounting.length).toBeGreaterThanOrEqual(3);
    expect(calls.filter((c) => c.kinds.includes('fairshare')).length).toBe(2);
  });

  it('never overlaps cycles of one cluster and keeps other clusters going while one hangs', async () => {
    const started: string[] = [];
    let running = 0;
    let maxRunningSlow = 0;
    let releaseSlow: () => void = () => undefined;
    const sync = {
      sync: async (name: string) => {
        started.push(name);
        if (name === 'slow') {
          running++;
          maxRunningSlow = Math.max(maxRunningSlow, running);
          await new Promise<void>((r) => (releaseSlow = r));
          running--;
        }
        if (name === 'broken') throw new Error('controller unreachable');
        return { cluster: name, snapshots: [], capabilities: {} as never, errors: [] } as SyncResult;
      },
    } as unknown as ClusterSync;
    const failures: string[] = [];
    const fast = { queue: 1, accounting: 1, fairshare: 1 };
    const poller = new Poller(sync, { failure: (n) => failures.push(n) }, {});
    poller.start([cluster('slow', fast), cluster('quick', fast), cluster('broken', fast)]);
    await new Promise((r) => setTimeout(r, 2_500));
    const stopping = poller.stop();
    releaseSlow();
    await stopping;
    expect(started.filter((n) => n === 'slow')).toHaveLength(1);
    expect(maxRunningSlow).toBe(1);
    expect(started.filter((n) => n === 'quick').length).toBeGreaterThanOrEqual(2);
    expect(failures.filter((n) => n === 'broken').length).toBeGreaterThanOrEqual(2);
  });
});

describe('ClusterSync serialisation', () => {
  it('runs syncs of one cluster one after another, never overlapping', async () => {
    const { ClusterSync } = await import('../../../../electron/core/runtime/cluster-sync');
    let running = 0;
    let max = 0;
    const order: number[] = [];
    // Only the serialising wrapper is under test: replace the work with a timed fake.
    const sync = Object.create(ClusterSync.prototype) as InstanceType<typeof ClusterSync>;
    Object.assign(sync, { running: new Map() });
    (sync as unknown as { syncNow: (n: string, o: { tag: number }) => Promise<unknown> }).syncNow = async (_n, o) => {
      running++;
      max = Math.max(max, running);
      await new Promise((r) => setTimeout(r, 20));
      order.push(o.tag);
      running--;
      if (o.tag === 2) throw new Error('this one fails');
      return o.tag;
    };
    const calls = [1, 2, 3].map((tag) => sync.sync('a', { kinds: [], tag } as never).catch((e: Error) => e.message));
    expect(await Promise.all(calls)).toEqual([1, 'this one fails', 3]);
    expect(order).toEqual([1, 2, 3]);
    expect(max).toBe(1);
  });
});
