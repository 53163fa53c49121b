// The poller: one loop per cluster, each on its own schedule (queue + nodes every 60 s, accounting every
// 5 min, fairshare/priority/reservations every 15 min by default). A cluster's cycles never overlap (its
// loop waits for one to finish before planning the next), and clusters never wait for each other, so a
// slow or dead cluster delays nobody else.
import type { ClusterConfig, PollIntervals } from '../../../shared/model/cluster';
import type { SnapshotKind } from '../../../shared/model/snapshot';
import { systemClock, type Clock } from '../ports';
import type { ClusterSync, SyncResult } from './cluster-sync';

/**
 * What each schedule collects. Counted with sdiag on Slurm 22.05 and 24.11: squeue and `scontrol show
 * node` cost two slurmctld RPCs each (they load partition data too), `scontrol show partition` and sdiag
 * one each. So the default 60 s cycle is queue + nodes = 4 RPCs; partitions and controller health, which
 * change slowly, ride on the 5-minute accounting cycle (sacct itself talks to slurmdbd, not slurmctld).
 */
export const SCHEDULES: Record<keyof PollIntervals, readonly SnapshotKind[]> = {
  queue: ['queue', 'nodes'],
  accounting: ['accounting', 'partitions', 'controller'],
  fairshare: ['fairshare', 'priority', 'reservations'],
};

export interface PollerEvents {
  cycle?(result: SyncResult, ms: number): void;
  failure?(cluster: string, error: Error): void;
}

export interface PollerOptions {
  clock?: Clock;
  /** Waits until an epoch-ms time or until aborted (tests inject a fast one). */
  sleepUntil?: (at: number, signal: AbortSignal) => Promise<void>;
}

function realSleepUntil(clock: Clock) {
  return (at: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, at - clock.now()));
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    });
}

export class Poller {
  private readonly controller = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly clock: Clock;
  private readonly sleepUntil: (at: number, signal: AbortSignal) => Promise<void>;

  constructor(
    private readonly sync: ClusterSync,
    private readonly events: PollerEvents = {},
    options: PollerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.sleepUntil = options.sleepUntil ?? realSleepUntil(this.clock);
  }

  start(clusters: readonly ClusterConfig[]): void {
    for (const c of clusters) if (c.enabled) this.loops.push(this.loop(c));
  }

  /** Stop planning new cycles; running ones finish. */
  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.all(this.loops);
  }

  private async loop(cluster: ClusterConfig): Promise<void> {
    const signal = this.controller.signal;
    const next: Record<keyof PollIntervals, number> = { queue: 0, accounting: 0, fairshare: 0 };
    while (!signal.aborted) {
      const now = this.clock.now();
      const due = (Object.keys(next) as (keyof PollIntervals)[]).filter((k) => next[k] <= now);
      if (due.length === 0) {
        await this.sleepUntil(Math.min(...Object.values(next)), signal);
        continue;
      }
      const kinds = due.flatMap((k) => SCHEDULES[k]);
      const started = this.clock.now();
      try {
        const result = await this.sync.sync(cluster.name, { kinds });
        this.events.cycle?.(result, this.clock.now() - started);
      } catch (err) {
        this.events.failure?.(cluster.name, err as Error);
      }
      // Plan from the end of the cycle: a cycle slower than its interval never stacks up.
      const end = this.clock.now();
      for (const k of due) next[k] = end + cluster.poll[k] * 1000;
    }
  }
}
