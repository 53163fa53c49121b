import { describe, expect, it } from 'vitest';
import { gpuSecondsLost, lostSeconds } from '../../../../shared/preemption/lost-time';
import { requeueCounts, totalsBy, type LossRow } from '../../../../shared/preemption/loss-totals';

describe('lost time', () => {
  it('uses Elapsed, or End - Start when Elapsed is 0, and never goes negative', () => {
    expect(lostSeconds({ elapsed: 3600, startTime: 0, endTime: 10 })).toBe(3600);
    expect(lostSeconds({ elapsed: 0, startTime: 100, endTime: 160 })).toBe(60);
    expect(lostSeconds({ elapsed: 0, startTime: 200, endTime: 100 })).toBe(0);
    expect(lostSeconds({ elapsed: 0, startTime: null, endTime: 100 })).toBe(0);
  });
  it('GPU-seconds are GPUs x seconds held (4 GPUs for 90 min = 6 GPU-h)', () => {
    expect(gpuSecondsLost({ gpus: 4, elapsed: 5400, startTime: 0, endTime: 5400 }) / 3600).toBe(6);
    expect(gpuSecondsLost({ gpus: 0, elapsed: 5400, startTime: 0, endTime: 5400 })).toBe(0);
  });
});

const row = (over: Partial<LossRow & { account: string }>): LossRow & { account: string } => ({
  cluster: 'alpha',
  jobId: '1',
  jobIdRaw: 1,
  state: 'PREEMPTED',
  lostSeconds: 100,
  gpuSecondsLost: 400,
  restarts: null,
  account: 'nlp',
  ...over,
});

describe('totals', () => {
  it('sums per key, costliest first', () => {
    const rows = [row({ account: 'nlp' }), row({ account: 'vision', gpuSecondsLost: 7200, lostSeconds: 1800 }), row({ account: 'nlp', gpuSecondsLost: 100 })];
    expect(totalsBy(rows, (r) => r.account)).toEqual([
      { key: 'vision', runs: 1, lostSeconds: 1800, gpuSecondsLost: 7200 },
      { key: 'nlp', runs: 2, lostSeconds: 200, gpuSecondsLost: 500 },
    ]);
  });
  it('counts preemptions and requeues per job of each cluster, with Slurm restarts where known', () => {
    const rows = [
      row({ jobIdRaw: 7, jobId: '7', restarts: 1 }),
      row({ jobIdRaw: 7, jobId: '7', state: 'REQUEUED', restarts: 2 }),
      row({ jobIdRaw: 7, jobId: '7', cluster: 'beta' }),
      row({ jobIdRaw: 8, jobId: '8' }),
    ];
    const counts = requeueCounts(rows);
    expect(counts[0]).toEqual({ cluster: 'alpha', jobId: '7', jobIdRaw: 7, preempted: 1, requeued: 1, gpuSecondsLost: 800, restarts: 2 });
    expect(counts).toHaveLength(3);
    expect(counts.find((c) => c.cluster === 'beta')?.restarts).toBeNull();
  });
});
