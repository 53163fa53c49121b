import { describe, expect, it } from 'vitest';
import { evaluateRules } from '../../../../shared/alerts/evaluate';
import { allocatedIdleFindings } from '../../../../shared/alerts/rules/allocated-idle';
import type { AlertSettings, Finding } from '../../../../shared/alerts/types';
import { input, MIN, node, reading, runningJob, settings, T0 } from './builders';

function only(findings: Finding[]): Finding {
  expect(findings).toHaveLength(1);
  return findings[0] as Finding;
}

/** Job 42 with 4 GPUs on gpu-01 at the given utilizations. */
const idleInput = (pcts: number[], over: Parameters<typeof runningJob>[2] = {}, source?: Parameters<typeof reading>[1]) =>
  input({
    jobs: [runningJob(42, pcts.length, { user: 'carol', account: 'vision', ...over })],
    utilization: reading([{ jobId: '42', perGpu: pcts.map((p, i) => ['gpu-01', i, p] as [string, number, number]) }], source),
  });

describe('allocatedIdleFindings', () => {
  it('fires for a job whose mean utilization is below the threshold, naming the source', () => {
    const f = only(allocatedIdleFindings(idleInput([0, 1, 2, 9]), settings()));
    expect(f.rule).toBe('allocated-idle');
    expect(f.subject).toBe('job:42');
    expect(f.severity).toBe('warning');
    expect(f.title).toBe('Job 42 (carol) holds 4 GPUs at 3 % utilization');
    expect(f.body).toBe('3 of the 4 GPUs measured are at or below 5 % (mean 3.0 %, busiest 9 %) on gpu-01; account vision, partition gpu. Source: nvidia-smi.');
    expect(f.holdSeconds).toBe(30 * MIN);
    expect(f.since).toBeNull();
    expect(f.detail).toMatchObject({ source: 'nvidia-smi', measuredAt: T0 - 30, gpus: 4, gpusMeasured: 4, idleGpus: 3, meanPct: 3, maxPct: 9, user: 'carol', account: 'vision' });
    expect(f.links).toEqual({ nodes: ['gpu-01'], jobs: ['42'], partition: 'gpu' });
  });

  it('names whichever source produced the reading', () => {
    expect(only(allocatedIdleFindings(idleInput([0], {}, 'prometheus-dcgm'), settings())).detail.source).toBe('prometheus-dcgm');
    expect(only(allocatedIdleFindings(idleInput([0], {}, 'slurm-gpuutil'), settings())).body).toContain('Source: slurm-gpuutil.');
  });

  it('idleUtilPct: fires at exactly the threshold, quiet just above', () => {
    expect(allocatedIdleFindings(idleInput([5, 5]), settings())).toHaveLength(1);
    expect(allocatedIdleFindings(idleInput([4.9, 5]), settings())).toHaveLength(1);
    expect(allocatedIdleFindings(idleInput([5, 5.2]), settings())).toEqual([]);
  });

  it('stays quiet for a busy job', () => {
    expect(allocatedIdleFindings(idleInput([97, 99, 100, 98]), settings())).toEqual([]);
  });

  it('ignores a job that is no longer running, or no longer in the queue', () => {
    expect(allocatedIdleFindings(idleInput([0, 0], { state: 'COMPLETING' }), settings())).toEqual([]);
    expect(allocatedIdleFindings(idleInput([0, 0], { state: 'SUSPENDED' }), settings())).toEqual([]);
    const gone = { ...idleInput([0, 0]), jobs: [] };
    expect(allocatedIdleFindings(gone, settings())).toEqual([]);
  });

  it('ignores a job without any measured GPU', () => {
    const i = input({ jobs: [runningJob(42, 2)], utilization: reading([{ jobId: '42', perGpu: [] }]) });
    expect(allocatedIdleFindings(i, settings())).toEqual([]);
  });

  it('says nothing without an available reading', () => {
    expect(allocatedIdleFindings({ ...idleInput([0]), utilization: null }, settings())).toEqual([]);
    expect(allocatedIdleFindings({ ...idleInput([0]), utilization: { available: false, reasons: [] } }, settings())).toEqual([]);
  });

  it('rates fewer than 4 GPUs as info, and speaks of one GPU in the singular', () => {
    const f = only(allocatedIdleFindings(idleInput([1]), settings()));
    expect(f.severity).toBe('info');
    expect(f.title).toBe('Job 42 (carol) holds 1 GPU at 1 % utilization');
    expect(f.body.startsWith('1 of the 1 GPU measured are at or below 5 %')).toBe(true);
  });

  it('lists every node of a multi-node job once', () => {
    const i = input({
      jobs: [runningJob(42, 4, { nodes: ['gpu-01', 'gpu-02'], numNodes: 2 })],
      utilization: reading([{ jobId: '42', perGpu: [['gpu-01', 0, 0], ['gpu-01', 1, 0], ['gpu-02', 0, 3], ['gpu-02', null, 1]] }]),
    });
    expect(only(allocatedIdleFindings(i, settings())).links.nodes).toEqual(['gpu-01', 'gpu-02']);
  });

  it('takes threshold and duration from the job partition, first one listed', () => {
    const s: AlertSettings = { global: {}, clusters: { alpha: { partitions: { interactive: { idleUtilPct: 20, idleMinutes: 10 } } } } };
    expect(allocatedIdleFindings(idleInput([15, 15]), s)).toEqual([]);
    const f = only(allocatedIdleFindings(idleInput([15, 15], { partition: 'interactive' }), s));
    expect(f.holdSeconds).toBe(10 * MIN);
    expect(f.body).toContain('at or below 20 %');
    expect(f.links.partition).toBe('interactive');
    expect(allocatedIdleFindings(idleInput([15, 15], { partition: 'interactive' }), settings({ clusters: { alpha: { partitions: { interactive: { enabled: { 'allocated-idle': false } } } } } }))).toEqual([]);
  });
});

describe('evaluateRules', () => {
  it('reports allocated-idle unavailable when the cluster has no utilization source', () => {
    const e = evaluateRules(input({ jobs: [runningJob(42, 4)] }), settings());
    expect(e.evaluated).toEqual(['gpus-out-of-service', 'repeat-offender', 'stranded-gpus', 'partition-underused']);
    expect(e.unavailable).toEqual([{ rule: 'allocated-idle', reason: 'no utilization source configured for this cluster (nvidia-smi, Slurm gres/gpuutil or Prometheus DCGM)' }]);
    expect(e.findings).toEqual([]);
  });

  it('passes on why every source failed', () => {
    const e = evaluateRules(
      input({
        utilization: {
          available: false,
          reasons: [
            { source: 'nvidia-smi', reason: 'disabled for this cluster' },
            { source: 'slurm-gpuutil', reason: 'AccountingStorageTRES has no gres/gpuutil' },
          ],
        },
      }),
      settings(),
    );
    expect(e.unavailable).toEqual([{ rule: 'allocated-idle', reason: 'nvidia-smi: disabled for this cluster; slurm-gpuutil: AccountingStorageTRES has no gres/gpuutil' }]);
    expect(e.evaluated).not.toContain('allocated-idle');
  });

  it('evaluates allocated-idle when a reading is available, together with the other rules', () => {
    const i = {
      ...idleInput([0, 0, 0, 0]),
      nodes: [node('gpu-09', { flags: ['DRAIN'], reason: 'xid 79', reasonTime: T0 - 3600 })],
    };
    const e = evaluateRules(i, settings());
    expect(e.evaluated).toEqual(['gpus-out-of-service', 'repeat-offender', 'stranded-gpus', 'partition-underused', 'allocated-idle']);
    expect(e.unavailable).toEqual([]);
    expect(e.findings.map((f) => `${f.rule} ${f.subject}`)).toEqual(['gpus-out-of-service reason:xid 79', 'allocated-idle job:42']);
  });
});
