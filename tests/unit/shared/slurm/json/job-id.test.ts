import { describe, expect, it } from 'vitest';
import { arrayTaskRange, printedJobId } from '../../../../../shared/slurm/json/job-id';
import { parseJobId } from '../../../../../shared/slurm/parse/job-id';

const base = { jobId: 53, arrayJobId: null, arrayTaskId: null, arrayTaskString: null, hetJobId: null, hetJobOffset: null };

describe('printedJobId', () => {
  it('prints ids the way squeue %i and sacct JobID do', () => {
    expect(printedJobId(base)).toBe('53');
    expect(printedJobId({ ...base, jobId: 53, arrayJobId: 46, arrayTaskId: 1 })).toBe('46_1');
    // task 0 is a real task
    expect(printedJobId({ ...base, jobId: 1009, arrayJobId: 1007, arrayTaskId: 0 })).toBe('1007_0');
    expect(printedJobId({ ...base, jobId: 46, arrayJobId: 46, arrayTaskString: '3-6%2' })).toBe('46_[3-6%2]');
    expect(printedJobId({ ...base, jobId: 124, hetJobId: 123, hetJobOffset: 1 })).toBe('123+1');
    expect(printedJobId({ ...base, arrayJobId: 0, hetJobId: 0 })).toBe('53');
  });

  it('prints only ids the text parser reads back to the same parts', () => {
    const cases = [
      { ...base, jobId: 7 },
      { ...base, jobId: 9, arrayJobId: 8, arrayTaskId: 1 },
      { ...base, jobId: 8, arrayJobId: 8, arrayTaskString: '2-9%3' },
      { ...base, jobId: 11, hetJobId: 10, hetJobOffset: 1 },
    ];
    for (const c of cases) {
      const parsed = parseJobId(printedJobId(c));
      expect(parsed.arrayTaskId).toBe(c.arrayTaskId);
      expect(parsed.arrayTaskRange).toBe(c.arrayTaskString);
      expect(parsed.hetOffset).toBe(c.hetJobOffset);
    }
  });
});

describe('arrayTaskRange', () => {
  it("decodes 22.05 sacct's hex task bitmaps as sacct prints them", () => {
    // 1059_[2-3] on the 22.05 test bed: sacct --json array.task "0xC".
    expect(arrayTaskRange('0xC', null)).toBe('2-3');
    expect(arrayTaskRange('0x1', null)).toBe('0');
    expect(arrayTaskRange('0xAF', 0)).toBe('0-3,5,7');
    expect(arrayTaskRange('0x3C0', 2)).toBe('6-9%2');
    expect(arrayTaskRange('0x8000000000000000000000000', null)).toBe('99');
  });

  it('leaves printed ranges alone and adds the limit only once', () => {
    expect(arrayTaskRange('3-6%2', 2)).toBe('3-6%2');
    expect(arrayTaskRange('3-6', 2)).toBe('3-6%2');
    expect(arrayTaskRange('1,5', null)).toBe('1,5');
  });
});
