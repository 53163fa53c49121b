import { describe, expect, it } from 'vitest';
import { fitVerdict, nodeFree, perNodeRequest, usableGpus, type NodeFree, type PerNodeRequest } from '../../../../shared/alerts/node-fit';
import { gpus, node, pendingJob, tres } from './builders';

const free = (name: string, byType: [string | null, number][], cpus = 32, memMiB = 100_000): NodeFree => ({
  node: name,
  gpus: new Map(byType),
  gpusTotal: byType.reduce((a, [, n]) => a + n, 0),
  cpus,
  memMiB,
});

const req = (over: Partial<PerNodeRequest>): PerNodeRequest => ({ nodes: 1, types: null, gpus: 2, cpus: 4, memMiB: 16_000, totalGpus: 2, ...over });

describe('nodeFree', () => {
  it('sums free GPUs per type and keeps CPUs and memory left', () => {
    const f = nodeFree(node('n', { gpus: gpus(['a100', 4, 3], ['v100', 2, 0], ['a100', 2, 1]), cpus: { total: 64, allocated: 60 }, memoryMiB: { total: 512_000, allocated: 500_000 } }));
    expect([...f.gpus.entries()]).toEqual([
      ['a100', 2],
      ['v100', 2],
    ]);
    expect(f.gpusTotal).toBe(8);
    expect(f.cpus).toBe(4);
    expect(f.memMiB).toBe(12_000);
  });

  it('never goes negative when counts are over-allocated', () => {
    const f = nodeFree(node('n', { gpus: gpus([null, 2, 3]), cpus: { total: 8, allocated: 10 }, memoryMiB: { total: 10, allocated: 20 } }));
    expect(f.gpus.get(null)).toBe(0);
    expect(f.cpus).toBe(0);
    expect(f.memMiB).toBe(0);
  });
});

describe('perNodeRequest', () => {
  it('takes --gpus-per-node as it is', () => {
    const r = perNodeRequest(pendingJob(1, 8, { gpusPerNode: 4, numNodes: 2, numCpus: 16, tresReq: tres({ cpu: 16, memMiB: 64_000, gpu: 8 }) }));
    expect(r).toEqual({ nodes: 2, types: null, gpus: 4, cpus: 8, memMiB: 32_000, totalGpus: 8 });
  });

  it('spreads a total GPU request over the nodes, rounding up', () => {
    const r = perNodeRequest(pendingJob(1, 5, { numNodes: 2, numCpus: 3, tresReq: tres({ cpu: 3, gpu: 5 }) }));
    expect(r).toMatchObject({ nodes: 2, gpus: 3, cpus: 2, memMiB: 0, totalGpus: 5 });
  });

  it('reads GPU types from the typed TRES, else from the job GPU type', () => {
    expect(perNodeRequest(pendingJob(1, 2, { tresReq: tres({ cpu: 1, gpu: 2, gpuByType: { a100: 2, v100: 0 } }) })).types).toEqual(['a100']);
    expect(perNodeRequest(pendingJob(1, 2, { gpuType: 'h100' })).types).toEqual(['h100']);
    expect(perNodeRequest(pendingJob(1, 2)).types).toBeNull();
  });

  it('counts a job with no node count as one node', () => {
    expect(perNodeRequest(pendingJob(1, 2, { numNodes: 0 })).nodes).toBe(1);
  });
});

describe('usableGpus', () => {
  const f = free('n', [
    ['a100', 2],
    ['v100', 3],
    [null, 1],
  ]);
  it('counts any type for an untyped request, only the asked types otherwise', () => {
    expect(usableGpus(f, null)).toBe(6);
    expect(usableGpus(f, ['a100'])).toBe(2);
    expect(usableGpus(f, ['a100', 'v100'])).toBe(5);
    expect(usableGpus(f, ['h100'])).toBe(0);
  });
});

describe('fitVerdict', () => {
  it('fits when enough nodes have the GPUs, CPUs and memory', () => {
    expect(fitVerdict(req({}), [free('a', [['a100', 2]])])).toBe('fits');
    expect(fitVerdict(req({ nodes: 2, totalGpus: 4 }), [free('a', [['a100', 2]]), free('b', [['a100', 3]])])).toBe('fits');
  });

  it('is cpu-or-memory when the GPU nodes lack CPUs or memory', () => {
    expect(fitVerdict(req({}), [free('a', [['a100', 2]], 3)])).toBe('cpu-or-memory');
    expect(fitVerdict(req({}), [free('a', [['a100', 2]], 32, 15_999)])).toBe('cpu-or-memory');
    // Exactly enough is enough.
    expect(fitVerdict(req({}), [free('a', [['a100', 2]], 4, 16_000)])).toBe('fits');
  });

  it('is gpus-per-node when the total is there but spread too thin', () => {
    const frees = [free('a', [['a100', 1]]), free('b', [['a100', 1]]), free('c', [['a100', 1]])];
    expect(fitVerdict(req({}), frees)).toBe('gpus-per-node');
    // Two nodes × 2: one node has 2, the other only 1, total 3 < 4 → too few.
    expect(fitVerdict(req({ nodes: 2, totalGpus: 4 }), [free('a', [['a100', 2]]), free('b', [['a100', 1]])])).toBe('too-few-gpus');
    // Two nodes × 2: one node has 3, two have 1: total 5 ≥ 4, but only one node with 2.
    expect(fitVerdict(req({ nodes: 2, totalGpus: 4 }), [free('a', [['a100', 3]]), free('b', [['a100', 1]]), free('c', [['a100', 1]])])).toBe('gpus-per-node');
  });

  it('is too-few-gpus when fewer usable GPUs are free than asked, counting only the asked type', () => {
    expect(fitVerdict(req({ gpus: 8, totalGpus: 8 }), [free('a', [['a100', 4]])])).toBe('too-few-gpus');
    expect(fitVerdict(req({ types: ['a100'] }), [free('a', [['v100', 4]])])).toBe('too-few-gpus');
    expect(fitVerdict(req({ types: ['v100'] }), [free('a', [['v100', 4]])])).toBe('fits');
    expect(fitVerdict(req({}), [])).toBe('too-few-gpus');
  });
});
