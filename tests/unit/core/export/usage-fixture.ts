// A small store with hand-computed usage, shared by the export tests. alpha runs in Europe/Berlin, beta
// in UTC; the window is 2026-11-01 00:00 to 2026-11-03 00:00 Berlin time (CET, UTC+1).
//
// Expected GPU-hours in the window, by hand:
//   alpha nlp/alice   6  = job 10 (2 GPUs, 22:00Z–00:00Z, both hours inside) 4 + job 13 (1 GPU, running
//                          from 21:00Z on Nov 2, counted to the window end 23:00Z) 2
//   alpha nlp/bob     2  = job 12 (1 GPU, 4 h from 21:00Z Oct 31; the window starts 23:00Z: 2 h inside)
//   alpha vision/opsuser 16 = job 11 run 1 (4 GPUs, 1 h, PREEMPTED: 4 lost) + run 2 (4 GPUs, 3 h)
//   beta  production/bob 8 = job 20 (8 GPUs, 1 h)
import type { FairshareRow } from '../../../../shared/model/fairshare';
import type { Store } from '../../../../electron/core/store/db';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import { partition, run, storeWith, tres } from '../store/builders';

export const Z = (y: number, mo: number, d: number, h = 0) => Date.UTC(y, mo - 1, d, h) / 1000;
export const WINDOW = { from: Z(2026, 10, 31, 23), to: Z(2026, 11, 2, 23), timeZone: 'Europe/Berlin' };
export const COLLECTED = Z(2026, 11, 3, 12);

export const EXPECTED_GPU_HOURS: Record<string, number> = {
  'own/alpha/nlp/alice': 6,
  'own/alpha/nlp/bob': 2,
  'own/alpha/vision/opsuser': 16,
  'own/beta/production/bob': 8,
  'tree/alpha/nlp/': 8,
  'tree/alpha/research/': 8,
  'tree/alpha/vision/': 16,
  'tree/alpha/root/': 24,
  'tree/beta/production/': 8,
  'tree/beta/root/': 8,
};

function account(name: string, parent: string | null, depth: number, user: string | null = null): FairshareRow {
  return { account: name, user, depth, parent, rawShares: 1, normShares: null, rawUsage: 0, effectiveUsage: null, fairShare: null, levelFs: null, grpTresMins: null, tresRunMins: null };
}

export function usageStore(dir: string): Store {
  const store = storeWith(dir, [{ name: 'alpha', timeZone: 'Europe/Berlin' }, { name: 'beta', timeZone: 'UTC' }]);
  const w = new SnapshotWriter(store);
  const gpus = (n: number, type: string, billing: number) => tres({ gpu: n, gpuByType: { [type]: n }, cpu: 4 * n, node: 1, billing });
  w.write({
    cluster: 'alpha',
    startedAt: COLLECTED - 5,
    finishedAt: COLLECTED,
    partitions: [partition('gpu', { tresBillingWeights: 'CPU=1.0,Mem=0.25G,GRES/gpu=16.0' }), partition('cpu', { tresBillingWeights: null })],
    fairshare: [account('root', null, 0), account('research', 'root', 1), account('nlp', 'research', 2), account('nlp', 'nlp', 3, 'alice'), account('vision', 'root', 1)],
    accounting: {
      since: Z(2026, 10, 1),
      until: COLLECTED,
      runs: [
        run(10, { submitTime: Z(2026, 11, 1, 21), startTime: Z(2026, 11, 1, 22), endTime: Z(2026, 11, 2, 0), elapsed: 7200, allocTres: gpus(2, 'a100', 40) }),
        run(11, { user: 'opsuser', account: 'vision', state: 'PREEMPTED', submitTime: Z(2026, 11, 2, 7), startTime: Z(2026, 11, 2, 8), endTime: Z(2026, 11, 2, 9), elapsed: 3600, allocTres: gpus(4, 'v100', 50) }),
        run(11, { user: 'opsuser', account: 'vision', submitTime: Z(2026, 11, 2, 9), startTime: Z(2026, 11, 2, 10), endTime: Z(2026, 11, 2, 13), elapsed: 3 * 3600, allocTres: gpus(4, 'v100', 50) }),
        run(12, { user: 'bob', submitTime: Z(2026, 10, 31, 20), startTime: Z(2026, 10, 31, 21), endTime: Z(2026, 11, 1, 1), elapsed: 4 * 3600, allocTres: gpus(1, 'a100', 20) }),
        run(13, { state: 'RUNNING', submitTime: Z(2026, 11, 2, 20), startTime: Z(2026, 11, 2, 21), endTime: null, elapsed: 600, exitCode: null, allocTres: gpus(1, 'a100', 20) }),
        // Outside the window: ended before it, and started after it.
        run(14, { submitTime: Z(2026, 10, 30), startTime: Z(2026, 10, 30, 1), endTime: Z(2026, 10, 30, 2), elapsed: 3600, allocTres: gpus(8, 'a100', 160) }),
        run(15, { submitTime: Z(2026, 11, 3), startTime: Z(2026, 11, 3, 1), endTime: Z(2026, 11, 3, 2), elapsed: 3600, allocTres: gpus(8, 'a100', 160) }),
      ],
    },
  });
  w.write({
    cluster: 'beta',
    startedAt: COLLECTED - 5,
    finishedAt: COLLECTED,
    partitions: [partition('gpu', { tresBillingWeights: 'GRES/gpu=10.0' })],
    fairshare: [account('root', null, 0), account('production', 'root', 1)],
    accounting: {
      since: Z(2026, 10, 1),
      until: COLLECTED,
      runs: [run(20, { user: 'bob', account: 'production', submitTime: Z(2026, 11, 1, 23), startTime: Z(2026, 11, 2, 0), endTime: Z(2026, 11, 2, 1), elapsed: 3600, allocTres: gpus(8, 'h100', 80) })],
    },
  });
  return store;
}
