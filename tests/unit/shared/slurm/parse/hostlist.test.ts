import { describe, expect, it } from 'vitest';
import { SlurmParseError } from '../../../../../shared/slurm/parse/errors';
import { compressHostlist, countHostlist, expandHostlist, expandNodeField } from '../../../../../shared/slurm/parse/hostlist';
import { expectTypedOutcome, mutations, randomString, rng } from './fuzz';

describe('expandHostlist', () => {
  it('expands ranges and lists inside brackets, with commas at both levels', () => {
    expect(expandHostlist('gpu[01-04,07],cpu-[1-2]')).toEqual(['gpu01', 'gpu02', 'gpu03', 'gpu04', 'gpu07', 'cpu-1', 'cpu-2']);
    expect(expandHostlist('login1')).toEqual(['login1']);
    expect(expandHostlist('gpu-a100-[01-02],gpu-v100-[01-02]')).toEqual(['gpu-a100-01', 'gpu-a100-02', 'gpu-v100-01', 'gpu-v100-02']);
  });

  it('pads to the width of the lower bound as written, like Slurm', () => {
    expect(expandHostlist('n[08-11]')).toEqual(['n08', 'n09', 'n10', 'n11']);
    expect(expandHostlist('n[8-11]')).toEqual(['n8', 'n9', 'n10', 'n11']);
    expect(expandHostlist('n[098-101]')).toEqual(['n098', 'n099', 'n100', 'n101']);
  });

  it('expands several bracket groups with the first one outermost, and text after a group', () => {
    expect(expandHostlist('r[1-2]n[01-03]')).toEqual(['r1n01', 'r1n02', 'r1n03', 'r2n01', 'r2n02', 'r2n03']);
    expect(expandHostlist('node[1-2]-ib')).toEqual(['node1-ib', 'node2-ib']);
  });

  it('accepts whitespace as a separator and keeps duplicates in order', () => {
    expect(expandHostlist('a1 a2,a1')).toEqual(['a1', 'a2', 'a1']);
  });

  it('refuses malformed expressions with a typed error naming the input', () => {
    for (const bad of ['gpu[01-', 'gpu]01[', 'gpu[]', 'gpu[3-1]', 'gpu[a-b]', 'gpu[[1]]', 'gpu[1--2]', '(null)', '', 'a;b', 'n[1-2]x[', ',']) {
      expect(() => expandHostlist(bad), bad).toThrow(SlurmParseError);
    }
    try {
      expandHostlist('gpu[3-1]');
    } catch (err) {
      expect(err).toMatchObject({ parser: 'hostlist', input: 'gpu[3-1]' });
    }
  });

  it('refuses to expand beyond the cap, before allocating anything', () => {
    expect(countHostlist('n[0-99999999]')).toBe(100_000_000);
    expect(() => expandHostlist('n[0-99999999]')).toThrow(/more than the cap/);
    expect(() => expandHostlist('r[1-1000]n[1-1000]', 999_999)).toThrow(/1000000 names/);
    expect(expandHostlist('n[1-5]', 5)).toHaveLength(5);
  });

  it('reads the no-node placeholders of squeue and sacct as empty', () => {
    expect(expandNodeField('(null)')).toEqual([]);
    expect(expandNodeField('None assigned')).toEqual([]);
    expect(expandNodeField('')).toEqual([]);
    expect(expandNodeField('cpu-[01-02]')).toEqual(['cpu-01', 'cpu-02']);
  });
});

describe('compressHostlist', () => {
  it('compresses like Slurm prints node lists', () => {
    expect(compressHostlist(['gpu01', 'gpu02', 'gpu03', 'gpu04', 'gpu07', 'cpu-1', 'cpu-2'])).toBe('cpu-[1-2],gpu[01-04,07]');
    expect(compressHostlist(['gpu-a100-03'])).toBe('gpu-a100-03');
    expect(compressHostlist(['n9', 'n10', 'n11'])).toBe('n[9-11]');
    expect(compressHostlist(['n08', 'n09', 'n10'])).toBe('n[08-10]');
    expect(compressHostlist(['login', 'n2', 'n1', 'n2'])).toBe('login,n[1-2]');
  });

  it('keeps differently padded names apart so they expand back exactly', () => {
    expect(compressHostlist(['n1', 'n01', 'n2'])).toBe('n[1,01,2]');
    expect(new Set(expandHostlist('n[1,01,2]'))).toEqual(new Set(['n1', 'n01', 'n2']));
  });

  it('refuses names that are not host names', () => {
    expect(() => compressHostlist(['a,b'])).toThrow(SlurmParseError);
    expect(() => compressHostlist([''])).toThrow(SlurmParseError);
  });

  it('round-trips random node sets (property)', () => {
    const next = rng(7);
    for (let round = 0; round < 300; round++) {
      const names = new Set<string>();
      const n = 1 + Math.floor(next() * 40);
      for (let i = 0; i < n; i++) {
        const prefix = ['gpu', 'gpu-a100-', 'r1n', 'cpu', 'x'][Math.floor(next() * 5)] as string;
        const value = Math.floor(next() * 120);
        const width = Math.floor(next() * 4);
        names.add(prefix + String(value).padStart(width, '0'));
      }
      const expr = compressHostlist([...names]);
      const back = expandHostlist(expr);
      expect(new Set(back), expr).toEqual(names);
      expect(back.length, expr).toBe(names.size);
    }
  });
});

describe('hostlist fuzz', () => {
  it('gives a typed error or a list of valid names for garbage and truncations, never a crash', () => {
    const next = rng(11);
    const inputs = [...Array.from({ length: 3000 }, () => randomString(next)), ...mutations('gpu[01-04,07],cpu-[1-2],r[1-2]n[01-03]', next, 500)];
    const { ok, rejected } = expectTypedOutcome(inputs, (s) => expandHostlist(s, 10_000), (names) => {
      for (const name of names) expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
    });
    expect(ok).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(50);
  });
});
