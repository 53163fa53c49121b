import { describe, expect, it } from 'vitest';
import { SlurmParseError } from '../../../../../shared/slurm/parse/errors';
import { parseGres, parseNodeGres } from '../../../../../shared/slurm/parse/gres';
import { expectTypedOutcome, mutations, randomString, rng } from './fuzz';

describe('parseGres', () => {
  it('reads configured GRES with socket binding', () => {
    expect(parseGres('gpu:a100:4(S:0-1)')).toEqual([{ name: 'gpu', type: 'a100', count: 4, indices: null, sockets: '0-1', raw: 'gpu:a100:4(S:0-1)' }]);
  });

  it('reads used GRES with indices, including commas inside the parentheses', () => {
    expect(parseGres('gpu:a100:2(IDX:0-1,3)')[0]).toMatchObject({ type: 'a100', count: 2, indices: [0, 1, 3] });
    expect(parseGres('gpu:a100:0(IDX:N/A)')[0]).toMatchObject({ count: 0, indices: [] });
    expect(parseGres('gpu:a100:2(S:0,IDX:0-1)')[0]).toMatchObject({ sockets: '0', indices: [0, 1] });
  });

  it('reads untyped and (null)-typed GPUs, several entries, and other GRES', () => {
    expect(parseGres('gpu:(null):0')[0]).toMatchObject({ name: 'gpu', type: null, count: 0 });
    expect(parseGres('gpu:4')[0]).toMatchObject({ name: 'gpu', type: null, count: 4 });
    const list = parseGres('gpu:tesla:2(S:0),shard:8');
    expect(list.map((e) => [e.name, e.type, e.count])).toEqual([
      ['gpu', 'tesla', 2],
      ['shard', null, 8],
    ]);
    expect(parseGres('(null)')).toEqual([]);
  });

  it('refuses malformed entries', () => {
    for (const bad of ['gpu:a100:4(S:0', 'gpu:a100:x', 'gpu::2', ',gpu:1', 'gpu:a:b:c:d', 'gpu:a100:2)(', 'gpu:a100:2(IDX:0-x)', '9gpu:1']) {
      expect(() => parseGres(bad), bad).toThrow(SlurmParseError);
    }
  });
});

describe('parseNodeGres', () => {
  it('matches used counts to configured types', () => {
    expect(parseNodeGres('gpu:a100:4(S:0-1)', 'gpu:a100:2(IDX:0-1)')).toEqual({
      gpus: [{ type: 'a100', total: 4, used: 2, usedIndices: [0, 1] }],
      otherGres: null,
    });
  });

  it('handles several types, split socket entries and other GRES', () => {
    const g = parseNodeGres('gpu:a100:2(S:0),gpu:a100:2(S:1),gpu:v100:2(S:1),shard:8', 'gpu:a100:1(IDX:3),gpu:v100:0(IDX:N/A),shard:0');
    expect(g.gpus).toEqual([
      { type: 'a100', total: 4, used: 1, usedIndices: [3] },
      { type: 'v100', total: 2, used: 0, usedIndices: [] },
    ]);
    expect(g.otherGres).toBe('shard:8');
  });

  it('gives an untyped used count to the only type, and keeps it apart when ambiguous', () => {
    expect(parseNodeGres('gpu:a100:4', 'gpu:(null):2(IDX:0-1)').gpus).toEqual([{ type: 'a100', total: 4, used: 2, usedIndices: [0, 1] }]);
    expect(parseNodeGres('gpu:a100:2,gpu:v100:2', 'gpu:2').gpus).toEqual([
      { type: 'a100', total: 2, used: 0, usedIndices: [] },
      { type: 'v100', total: 2, used: 0, usedIndices: [] },
      { type: null, total: 0, used: 2, usedIndices: null },
    ]);
  });

  it('says usage is unknown when the source did not report it', () => {
    expect(parseNodeGres('gpu:h100:8', null).gpus).toEqual([{ type: 'h100', total: 8, used: 0, usedIndices: null }]);
    expect(parseNodeGres('(null)', '(null)')).toEqual({ gpus: [], otherGres: null });
  });
});

describe('gres fuzz', () => {
  it('never crashes on garbage and truncations', () => {
    const next = rng(5);
    const inputs = [...Array.from({ length: 3000 }, () => randomString(next)), ...mutations('gpu:a100:2(IDX:0-1,3),gpu:v100:1(S:0),shard:8', next, 500)];
    expectTypedOutcome(inputs, parseGres, (entries) => {
      for (const e of entries) expect(Number.isInteger(e.count) && e.count >= 0).toBe(true);
    });
    expectTypedOutcome(inputs, (s) => parseNodeGres('gpu:a100:4(S:0-1)', s));
  });
});
