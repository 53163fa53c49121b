import { describe, expect, it } from 'vitest';
import { SlurmParseError } from '../../../../../shared/slurm/parse/errors';
import { parseGresRequest, parseTres } from '../../../../../shared/slurm/parse/tres';
import { expectTypedOutcome, mutations, randomString, rng } from './fuzz';

describe('parseTres', () => {
  it('reads an AllocTRES string with typed GPUs', () => {
    expect(parseTres('cpu=8,mem=64G,node=1,billing=40,gres/gpu=4,gres/gpu:a100=4')).toEqual({
      cpu: 8,
      memMiB: 65536,
      node: 1,
      billing: 40,
      gpu: 4,
      gpuByType: { a100: 4 },
      other: {},
    });
  });

  it('converts memory units to MiB (K, M, G, T, P and bare numbers)', () => {
    expect(parseTres('mem=500M').memMiB).toBe(500);
    expect(parseTres('mem=4000').memMiB).toBe(4000);
    expect(parseTres('mem=2048K').memMiB).toBe(2);
    expect(parseTres('mem=1.50G').memMiB).toBe(1536);
    expect(parseTres('mem=2T').memMiB).toBe(2 * 1024 * 1024);
    expect(parseTres('mem=1P').memMiB).toBe(1024 ** 3);
  });

  it('keeps other TRES by their full name, fs/ic in bytes', () => {
    const t = parseTres('cpu=2,energy=120,fs/disk=1G,license/matlab=1,gres/shard=8,gres/gpumem=80G');
    expect(t.other).toEqual({ energy: 120, 'fs/disk': 1024 ** 3, 'license/matlab': 1, 'gres/shard': 8, 'gres/gpumem': 80 * 1024 ** 3 });
  });

  it('derives the GPU total from typed counts when the untyped one is absent', () => {
    const t = parseTres('cpu=4,gres/gpu:a100=2,gres/gpu:v100=1');
    expect(t.gpu).toBe(3);
    expect(t.gpuByType).toEqual({ a100: 2, v100: 1 });
  });

  it('reads empty and (null) as no resources', () => {
    expect(parseTres('')).toEqual(parseTres('(null)'));
    expect(parseTres('').cpu).toBe(0);
  });

  it('refuses malformed strings and repeated names', () => {
    for (const bad of ['cpu', 'cpu=', 'cpu=x', '=4', 'cpu=1,cpu=2', 'mem=64Q', 'cpu=1,,mem=2', 'cpu=-1', 'gres/gpu:a:b=1']) {
      expect(() => parseTres(bad), bad).toThrow(SlurmParseError);
    }
  });
});

describe('parseGresRequest', () => {
  it('reads the per-node request forms of 22.05 and 24.11', () => {
    expect(parseGresRequest('gres:gpu:a100:2')).toEqual({ gpus: 2, gpuByType: { a100: 2 }, gpuType: 'a100', other: {} });
    expect(parseGresRequest('gres/gpu:h100:4')).toEqual({ gpus: 4, gpuByType: { h100: 4 }, gpuType: 'h100', other: {} });
    expect(parseGresRequest('gpu:2')).toEqual({ gpus: 2, gpuByType: {}, gpuType: null, other: {} });
    expect(parseGresRequest('gres:gpu:2')).toMatchObject({ gpus: 2, gpuType: null });
    expect(parseGresRequest('gres/gpu=3')).toMatchObject({ gpus: 3, gpuType: null });
    expect(parseGresRequest('gres/gpu:a100=4')).toMatchObject({ gpus: 4, gpuType: 'a100' });
    expect(parseGresRequest('gpu')).toMatchObject({ gpus: 1 });
    expect(parseGresRequest('gpu:a100')).toMatchObject({ gpus: 1, gpuType: 'a100' });
  });

  it('separates GPUs from other GRES and sums mixed requests', () => {
    expect(parseGresRequest('gres:gpu:a100:1,gres:gpu:v100:1,gres:shard:4')).toEqual({ gpus: 2, gpuByType: { a100: 1, v100: 1 }, gpuType: null, other: { shard: 4 } });
  });

  it('reads empty forms as no request and refuses garbage', () => {
    expect(parseGresRequest('N/A').gpus).toBe(0);
    expect(parseGresRequest('(null)').gpus).toBe(0);
    for (const bad of ['gpu:a:b:c', 'gpu:', ':2', 'gpu=x', 'gpu:1.5']) expect(() => parseGresRequest(bad), bad).toThrow(SlurmParseError);
  });
});

describe('tres fuzz', () => {
  it('never crashes and never yields a negative or non-finite number', () => {
    const next = rng(3);
    const inputs = [
      ...Array.from({ length: 3000 }, () => randomString(next)),
      ...mutations('cpu=8,mem=64G,node=1,billing=40,gres/gpu=4,gres/gpu:a100=4', next, 500),
    ];
    const finite = (t: ReturnType<typeof parseTres>): void => {
      for (const v of [t.cpu, t.memMiB, t.node, t.billing, t.gpu, ...Object.values(t.gpuByType), ...Object.values(t.other)]) {
        expect(Number.isFinite(v) && v >= 0).toBe(true);
      }
    };
    expectTypedOutcome(inputs, parseTres, finite);
    expectTypedOutcome([...inputs, ...mutations('gres:gpu:a100:2,gres:shard:4', next, 300)], parseGresRequest, (r) => {
      expect(Number.isInteger(r.gpus) && r.gpus >= 0).toBe(true);
    });
  });
});
