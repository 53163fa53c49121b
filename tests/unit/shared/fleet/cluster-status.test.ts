import { describe, expect, it } from 'vitest';
import { clusterStatusCounts, jobGpuCount, taskCount } from '../../../../shared/fleet/cluster-status';
import type { QueuedJob } from '../../../../shared/model/job';
import type { SlurmNode } from '../../../../shared/model/node';
import { emptyTres } from '../../../../shared/model/tres';
import { modelJob, modelNode } from '../../model-builders';

function node(name: string, state: SlurmNode['state'], flags: string[], gpus: [string | null, number, number][]): SlurmNode {
  return modelNode(name, { state, flags, gpus: gpus.map(([type, total, used]) => ({ type, total, used, usedIndices: null })) });
}

function job(over: Partial<QueuedJob>): QueuedJob {
  return modelJob(1, { name: 'j', user: 'u', account: 'a', priority: 1, submitTime: 0, timeLimit: null, ...over });
}

describe('clusterStatusCounts', () => {
  it('splits unallocated GPUs into idle and unavailable by whether the node can take work', () => {
    const nodes = [
      node('a1', 'MIXED', [], [['a100', 4, 2]]), // 2 allocated, 2 idle
      node('a2', 'MIXED', ['DRAIN'], [['a100', 4, 1]]), // draining: 1 allocated, 3 unavailable
      node('a3', 'IDLE', ['DRAIN'], [['a100', 4, 0]]), // drained: 4 unavailable
      node('v1', 'DOWN', ['NOT_RESPONDING'], [['v100', 2, 0]]), // down*: 2 unavailable
      node('v2', 'IDLE', [], [['v100', 2, 0]]), // 2 idle
      node('c1', 'ALLOCATED', [], []), // no GPUs
    ];
    const s = clusterStatusCounts(nodes, []);
    expect(s.gpus).toMatchObject({ total: 16, allocated: 3, idle: 4, unavailable: 9 });
    expect(s.gpus.total).toBe(s.gpus.allocated + s.gpus.idle + s.gpus.unavailable);
    expect(s.gpus.byType.a100).toEqual({ total: 12, allocated: 3, idle: 2, unavailable: 7 });
    expect(s.gpus.byType.v100).toEqual({ total: 4, allocated: 0, idle: 2, unavailable: 2 });
    expect(s.nodes).toEqual({ total: 6, byState: { mixed: 1, draining: 1, drained: 1, 'down*': 1, idle: 1, allocated: 1 } });
  });

  it('counts pending array ranges as their tasks, with their GPUs', () => {
    const gpus4 = { ...emptyTres(), gpu: 4 };
    const jobs = [
      job({ jobId: '10_[0-9%2]', arrayTaskRange: '0-9%2', tresReq: gpus4 }), // 10 tasks × 4
      job({ jobId: '11', tresReq: emptyTres(), gpusPerNode: 2, numNodes: 3 }), // 6
      job({ jobId: '12', state: 'RUNNING', tresAlloc: { ...emptyTres(), gpu: 8 }, tresReq: gpus4 }),
      job({ jobId: '13', state: 'SUSPENDED' }),
    ];
    const s = clusterStatusCounts([], jobs);
    expect(s.jobs).toEqual({ running: 1, pending: 11, suspended: 1, completing: 0 });
    expect(s.pendingGpus).toBe(46);
  });

  it('takes allocated GPUs over requested ones, and a malformed range as one task', () => {
    expect(jobGpuCount(job({ tresAlloc: { ...emptyTres(), gpu: 2 }, tresReq: { ...emptyTres(), gpu: 8 } }))).toBe(2);
    expect(taskCount(job({ arrayTaskRange: 'garbage' }))).toBe(1);
    expect(taskCount(job({ arrayTaskRange: '1,3,5-9:2' }))).toBe(5);
  });
});
