import { describe, expect, it } from 'vitest';
import { SlurmParseError } from '../../../../../shared/slurm/parse/errors';
import { arrayTaskCount, assertJobIdArg, assertNameArg, assertNodeListArg, JOB_ID_ARG, parseJobId, SlurmArgumentError } from '../../../../../shared/slurm/parse/job-id';
import { expectTypedOutcome, mutations, randomString, rng } from './fuzz';

describe('parseJobId', () => {
  it('reads plain, array, pending-array, het and step ids', () => {
    expect(parseJobId('123')).toEqual({ baseId: 123, arrayTaskId: null, arrayTaskRange: null, hetOffset: null, step: null });
    expect(parseJobId('123_4')).toMatchObject({ baseId: 123, arrayTaskId: 4 });
    expect(parseJobId('123_[1-5%2]')).toMatchObject({ baseId: 123, arrayTaskId: null, arrayTaskRange: '1-5%2' });
    expect(parseJobId('123_[1,3,7-9]')).toMatchObject({ arrayTaskRange: '1,3,7-9' });
    expect(parseJobId('123+1')).toMatchObject({ baseId: 123, hetOffset: 1 });
    expect(parseJobId('123.batch')).toMatchObject({ baseId: 123, step: 'batch' });
    expect(parseJobId('123_4.0')).toMatchObject({ arrayTaskId: 4, step: '0' });
    expect(parseJobId('123+1.extern')).toMatchObject({ hetOffset: 1, step: 'extern' });
  });

  it('refuses what is not a job id', () => {
    for (const bad of ['', 'abc', '0', '123_', '123_[', '123_[1-5%]', '123+', '12 3', '123;rm', '-1', '123_[a]', '123.']) {
      expect(() => parseJobId(bad), bad).toThrow(SlurmParseError);
    }
  });

  it('never crashes (fuzz)', () => {
    const next = rng(23);
    expectTypedOutcome([...Array.from({ length: 3000 }, () => randomString(next, 14, '0123456789_[]-%,+.bx ')), ...mutations('123_[1-5%2]', next, 200)], parseJobId);
  });
});

describe('arrayTaskCount', () => {
  it('counts the tasks a pending array record stands for', () => {
    expect(arrayTaskCount('2-3')).toBe(2);
    expect(arrayTaskCount('3-6%2')).toBe(4);
    expect(arrayTaskCount('[1,3,7-9]')).toBe(5);
    expect(arrayTaskCount('0-10:5')).toBe(3);
    expect(arrayTaskCount('4')).toBe(1);
    expect(parseJobId('9_[0-10:5%1]').arrayTaskRange).toBe('0-10:5%1');
    for (const bad of ['', '5-3', 'a', '1-', '1-5:0', '%2']) expect(() => arrayTaskCount(bad), bad).toThrow(SlurmParseError);
  });
});

describe('command argument validation', () => {
  it('accepts job ids and array tasks only', () => {
    expect(assertJobIdArg('123')).toBe('123');
    expect(assertJobIdArg('123_4')).toBe('123_4');
    for (const bad of ['0', '01', '123_[1-2]', '123+1', '-1', '1 2', '1;id', '']) expect(JOB_ID_ARG.test(bad), bad).toBe(false);
    expect(() => assertJobIdArg('1;id')).toThrow(SlurmArgumentError);
  });

  it('accepts Slurm names and refuses option-like or shell-special values', () => {
    for (const ok of ['alice', 'vision', 'gpu-low', 'normal', 'first.last', 'user@example.org', 'maint_2025']) expect(assertNameArg(ok)).toBe(ok);
    for (const bad of ['-a', '--all', 'a b', 'a;b', '$(id)', '', 'a/b', 'x'.repeat(200)]) expect(() => assertNameArg(bad), bad).toThrow(SlurmArgumentError);
  });

  it('accepts hostlists for node arguments', () => {
    expect(assertNodeListArg('gpu-a100-[01-02],cpu-03')).toBe('gpu-a100-[01-02],cpu-03');
    expect(() => assertNodeListArg('-w')).toThrow(SlurmArgumentError);
    expect(() => assertNodeListArg('a b')).toThrow(SlurmArgumentError);
  });
});
