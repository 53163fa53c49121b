import { describe, expect, it } from 'vitest';
import { partitionUnderusedFindings } from '../../../../shared/alerts/rules/partition-underused';
import type { AlertInput, Finding } from '../../../../shared/alerts/types';
import { input, node, partition, pendingJob, settings } from './builders';

function only(findings: Finding[]): Finding {
  expect(findings).toHaveLength(1);
  return findings[0] as Finding;
}

const HOUR = 3600;
/** Two partitions of 2 nodes × 4 GPUs: `spare` (the one that may be underused) and `busy`. */
const nodes = [
  node('spare-01', { partitions: ['spare'] }),
  node('spare-02', { partitions: ['spare'] }),
  node('busy-01', { partitions: ['busy'], state: 'ALLOCATED' }),
  node('busy-02', { partitions: ['busy'], state: 'ALLOCATED' }),
];

/** `spare` allocated `pct` % over a fully covered hour; `busy` at 100 %. */
function underused(pct: number, over: Partial<AlertInput> = {}, coveredSeconds = HOUR): AlertInput {
  const total = 8 * HOUR;
  return input({
    nodes,
    jobs: [pendingJob(10, 4, { partition: 'busy' }), pendingJob(11, 2, { partition: 'busy', priority: 5 })],
    partitionWindow: {
      spare: { allocGpuSeconds: (total * pct) / 100, totalGpuSeconds: total, coveredSeconds },
      busy: { allocGpuSeconds: total, totalGpuSeconds: total, coveredSeconds: HOUR },
    },
    ...over,
  });
}

describe('partitionUnderusedFindings', () => {
  it('fires for a partition below the share while GPU jobs wait elsewhere', () => {
    const f = only(partitionUnderusedFindings(underused(12.5), settings()));
    expect(f.rule).toBe('partition-underused');
    expect(f.subject).toBe('partition:spare');
    expect(f.severity).toBe('info');
    expect(f.title).toBe('spare used 13 % of its 8 GPUs while jobs waited in busy');
    expect(f.body).toBe('Over the last 60 min, spare had 12.5 % of its GPUs allocated (threshold 50 %), while 2 GPU jobs asking for 6 GPUs waited in busy.');
    expect(f.detail).toEqual({ sharePct: 12.5, gpus: 8, windowMinutes: 60, waitingJobs: 2, waitingGpus: 6, waitingIn: ['busy'] });
    expect(f.links).toEqual({ nodes: [], jobs: ['10', '11'], partition: 'spare' });
    expect(f.holdSeconds).toBe(0);
  });

  it('underusedPct: quiet at exactly the threshold, fires just below', () => {
    expect(partitionUnderusedFindings(underused(50), settings())).toEqual([]);
    expect(partitionUnderusedFindings(underused(49.9), settings())).toHaveLength(1);
    expect(partitionUnderusedFindings(underused(50.1), settings())).toEqual([]);
  });

  it('is quiet until the samples cover 80 % of the window', () => {
    expect(partitionUnderusedFindings(underused(10, {}, 0.8 * HOUR - 1), settings())).toEqual([]);
    expect(partitionUnderusedFindings(underused(10, {}, 0.8 * HOUR), settings())).toHaveLength(1);
    // A longer window needs more coverage: 48 min of samples are not 80 % of 2 h.
    expect(partitionUnderusedFindings(underused(10, {}, 0.8 * HOUR), settings({ global: { underusedWindowMinutes: 120 } }))).toEqual([]);
  });

  it('is quiet when no GPU job waits in another partition', () => {
    expect(partitionUnderusedFindings(underused(10, { jobs: [] }), settings())).toEqual([]);
    // Waiting in the underused partition itself is the stranded-GPU rule's business.
    expect(partitionUnderusedFindings(underused(10, { jobs: [pendingJob(10, 4, { partition: 'spare' })] }), settings())).toEqual([]);
    expect(partitionUnderusedFindings(underused(10, { jobs: [pendingJob(10, 4, { partition: 'busy,spare' })] }), settings())).toEqual([]);
    // Held, dependent or CPU-only jobs do not count as waiting.
    const notWaiting = [pendingJob(12, 4, { partition: 'busy', reason: 'JobHeldUser' }), pendingJob(13, 4, { partition: 'busy', reason: 'Dependency' }), pendingJob(14, 0, { partition: 'busy' })];
    expect(partitionUnderusedFindings(underused(10, { jobs: notWaiting }), settings())).toEqual([]);
  });

  it('counts the tasks of a pending array range and their GPUs', () => {
    const jobs = [pendingJob(20, 2, { jobId: '20_[0-3]', arrayJobId: 20, arrayTaskRange: '0-3', partition: 'busy' })];
    const f = only(partitionUnderusedFindings(underused(10, { jobs }), settings()));
    expect(f.detail.waitingJobs).toBe(4);
    expect(f.detail.waitingGpus).toBe(8);
    expect(f.body).toContain('while 4 GPU jobs asking for 8 GPUs waited in busy.');
  });

  it('skips partitions without GPUs or without window data', () => {
    const cpuNodes = [node('cpu-01', { partitions: ['cpu'], gpus: [] })];
    const i = underused(10, {
      nodes: [...nodes, ...cpuNodes],
      partitionWindow: { cpu: { allocGpuSeconds: 0, totalGpuSeconds: 0, coveredSeconds: HOUR } },
    });
    expect(partitionUnderusedFindings(i, settings())).toEqual([]);
  });

  it('takes the window and share from the partition override, and can be turned off per partition', () => {
    const s = settings({ clusters: { alpha: { partitions: { spare: { underusedPct: 10, underusedWindowMinutes: 30 } } } } });
    expect(partitionUnderusedFindings(underused(12.5), s)).toEqual([]);
    const f = only(partitionUnderusedFindings(underused(9), s));
    expect(f.detail.windowMinutes).toBe(30);
    expect(f.body.startsWith('Over the last 30 min, spare had 9.0 % of its GPUs allocated (threshold 10 %)')).toBe(true);
    const off = settings({ clusters: { alpha: { partitions: { spare: { enabled: { 'partition-underused': false } } } } } });
    expect(partitionUnderusedFindings(underused(1), off)).toEqual([]);
  });

  it('reads membership from the partitions snapshot when there is one', () => {
    const partitions = [partition('spare', ['spare-01']), partition('busy', ['busy-01', 'busy-02'])];
    const f = only(partitionUnderusedFindings(underused(10, { partitions }), settings()));
    expect(f.detail.gpus).toBe(4);
  });
});
