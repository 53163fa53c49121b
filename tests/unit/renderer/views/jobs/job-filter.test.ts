import { describe, expect, it } from 'vitest';
import { DictBuilder, NULL_U32, encodeU32 } from '../../../../../shared/api/column-codec';
import type { JobsTable } from '../../../../../shared/api/methods/jobs';
import { buildFacets, filterRows, lowerDicts, sortRows, type JobsFilter } from '../../../../../renderer/src/views/jobs/job-filter';
import { decodeJobsTable, rowAt, type JobsData } from '../../../../../renderer/src/views/jobs/jobs-data';
import { gpuLabel, slurmDuration } from '../../../../../renderer/src/views/jobs/jobs-format';

interface J {
  cluster: 0 | 1;
  raw: number;
  id?: string;
  name: string;
  user: string;
  state: string;
  reason?: string | null;
  gpus?: number;
  gpuType?: string | null;
  submit?: number;
  start?: number | null;
  partition?: string;
}

function table(jobs: J[]): JobsData {
  const n = jobs.length;
  const u = (f: (j: J) => number | null) => encodeU32(Uint32Array.from(jobs, (j) => f(j) ?? NULL_U32));
  const d = (f: (j: J) => string | null) => {
    const b = new DictBuilder(n);
    for (const j of jobs) b.push(f(j));
    return b.build();
  };
  const t: JobsTable = {
    clusters: [
      { name: 'alpha', asOf: 1, timeZone: 'UTC', exact: true, count: jobs.filter((j) => j.cluster === 0).length },
      { name: 'beta', asOf: 1, timeZone: null, exact: false, count: jobs.filter((j) => j.cluster === 1).length },
    ],
    count: n,
    columns: {
      cluster: u((j) => j.cluster),
      jobIdRaw: u((j) => j.raw),
      jobId: d((j) => j.id ?? String(j.raw)),
      name: d((j) => j.name),
      user: d((j) => j.user),
      account: d(() => 'nlp'),
      partition: d((j) => j.partition ?? 'gpu'),
      qos: d(() => 'normal'),
      state: d((j) => j.state),
      reason: d((j) => j.reason ?? null),
      gpus: u((j) => j.gpus ?? 0),
      gpuType: d((j) => j.gpuType ?? null),
      nodes: d(() => null),
      numNodes: u(() => 1),
      submitTime: u((j) => j.submit ?? 1000),
      startTime: u((j) => j.start ?? null),
      timeLimit: u(() => null),
      restarts: u(() => 0),
      priority: u(() => null),
    },
  };
  return decodeJobsTable(t);
}

const JOBS: J[] = [
  { cluster: 0, raw: 10, name: 'train-llm', user: 'alice', state: 'RUNNING', gpus: 8, gpuType: 'a100', start: 2000 },
  { cluster: 0, raw: 11, name: 'eval', user: 'bob', state: 'PENDING', reason: 'Resources', gpus: 2, gpuType: null },
  { cluster: 0, raw: 12, id: '12_[3-9%2]', name: 'sweep', user: 'alice', state: 'PENDING', reason: 'JobArrayTaskLimit', partition: 'cpu' },
  { cluster: 1, raw: 10, name: 'Train-Vision', user: 'carol', state: 'PENDING', reason: 'Priority', gpus: 4, gpuType: 'h100', submit: 500 },
  { cluster: 1, raw: 2, name: 'job-10', user: 'alice', state: 'RUNNING', gpus: 1, gpuType: 'h100', start: 1500 },
];

function ids(d: JobsData, filter: Partial<JobsFilter>, order = sortRows(d, null)): string[] {
  const rows = filterRows(d, buildFacets(d), lowerDicts(d), { facets: {}, text: '', ...filter }, order);
  return [...rows].map((i) => `${rowAt(d, i).cluster}:${rowAt(d, i).jobId}`);
}

describe('Jobs table filters', () => {
  const d = table(JOBS);

  it('without filters keeps every row in the core\'s order', () => {
    expect(ids(d, {})).toEqual(['alpha:10', 'alpha:11', 'alpha:12_[3-9%2]', 'beta:10', 'beta:2']);
  });

  it('combines filters with AND and values within one filter with OR', () => {
    expect(ids(d, { facets: { state: ['PENDING'] } })).toEqual(['alpha:11', 'alpha:12_[3-9%2]', 'beta:10']);
    expect(ids(d, { facets: { state: ['PENDING'], user: ['alice'] } })).toEqual(['alpha:12_[3-9%2]']);
    expect(ids(d, { facets: { user: ['alice', 'carol'], cluster: ['beta'] } })).toEqual(['beta:10', 'beta:2']);
    expect(ids(d, { facets: { reason: ['Resources', 'Priority'] } })).toEqual(['alpha:11', 'beta:10']);
  });

  it('tells "no reason", "no GPUs" and "any GPU type" apart from real values', () => {
    expect(ids(d, { facets: { reason: ['None'] } })).toEqual(['alpha:10', 'beta:2']);
    expect(ids(d, { facets: { gpuType: ['no GPUs'] } })).toEqual(['alpha:12_[3-9%2]']);
    expect(ids(d, { facets: { gpuType: ['any type'] } })).toEqual(['alpha:11']);
    expect(ids(d, { facets: { gpuType: ['h100'] } })).toEqual(['beta:10', 'beta:2']);
    const f = buildFacets(d);
    expect(Object.fromEntries(f.gpuType.labels.map((l, k) => [l, f.gpuType.counts[k]]))).toEqual({ a100: 1, h100: 2, 'any type': 1, 'no GPUs': 1 });
  });

  it('free text matches any column case-insensitively, and every word must match', () => {
    expect(ids(d, { text: 'TRAIN' })).toEqual(['alpha:10', 'beta:10']);
    expect(ids(d, { text: 'train beta' })).toEqual(['beta:10']);
    expect(ids(d, { text: '12_[' })).toEqual(['alpha:12_[3-9%2]']);
    expect(ids(d, { text: 'nosuchthing' })).toEqual([]);
    expect(ids(d, { text: 'arraytask' })).toEqual(['alpha:12_[3-9%2]']);
  });

  it('sorts naturally, numbers numerically, nulls last in both directions, ties in core order', () => {
    const byName = sortRows(d, { column: 'name', dir: 'asc' });
    expect(ids(d, {}, byName)).toEqual(['alpha:11', 'beta:2', 'alpha:12_[3-9%2]', 'alpha:10', 'beta:10']);
    expect(ids(d, {}, sortRows(d, { column: 'startTime', dir: 'asc' }))).toEqual(['beta:2', 'alpha:10', 'alpha:11', 'alpha:12_[3-9%2]', 'beta:10']);
    expect(ids(d, {}, sortRows(d, { column: 'startTime', dir: 'desc' }))).toEqual(['alpha:10', 'beta:2', 'alpha:11', 'alpha:12_[3-9%2]', 'beta:10']);
    expect(ids(d, {}, sortRows(d, { column: 'gpus', dir: 'desc' }))).toEqual(['alpha:10', 'beta:10', 'alpha:11', 'beta:2', 'alpha:12_[3-9%2]']);
    // Filtering keeps the sort order.
    expect(ids(d, { facets: { state: ['PENDING'] } }, sortRows(d, { column: 'submitTime', dir: 'asc' }))).toEqual(['beta:10', 'alpha:11', 'alpha:12_[3-9%2]']);
  });

  it('on 50,000 rows gives what a row-by-row check of the same rules gives (speed is the bench\'s job)', () => {
    const many: J[] = Array.from({ length: 50_000 }, (_, i) => ({ cluster: (i % 2) as 0 | 1, raw: i + 1, name: `job-${i % 5000}`, user: `user${i % 400}`, state: i % 3 ? 'PENDING' : 'RUNNING', gpus: i % 9, gpuType: i % 4 ? 'a100' : null }));
    const big = table(many);
    const facets = buildFacets(big);
    const lower = lowerDicts(big);
    const order = sortRows(big, { column: 'name', dir: 'desc' });
    for (const text of ['job-4', 'USER12 job-1', '', 'a100 beta']) {
      const filter: JobsFilter = { facets: { state: ['PENDING'], gpuType: ['a100', 'no GPUs'] }, text };
      const words = text.toLowerCase().split(/\s+/).filter(Boolean);
      const naive = [...order].filter((i) => {
        const r = rowAt(big, i);
        const typeLabel = r.gpus === 0 ? 'no GPUs' : (r.gpuType ?? 'any type');
        const fields = [r.cluster, r.jobId, r.name, r.user, r.account, r.partition, r.qos, r.state, r.reason ?? '', r.nodes ?? '', r.gpuType ?? ''].map((f) => f.toLowerCase());
        return r.state === 'PENDING' && ['a100', 'no GPUs'].includes(typeLabel) && words.every((w) => fields.some((f) => f.includes(w)));
      });
      const got = [...filterRows(big, facets, lower, filter, order)];
      expect(got).toEqual(naive);
      expect(got.length).toBeGreaterThan(0);
    }
  });
});

describe('Jobs table formats', () => {
  it('durations as Slurm prints them', () => {
    expect(slurmDuration(null)).toBe('UNLIMITED');
    expect(slurmDuration(59)).toBe('00:59');
    expect(slurmDuration(6 * 3600)).toBe('06:00:00');
    expect(slurmDuration(2 * 86400 + 3661)).toBe('2-01:01:01');
  });
  it('GPUs as count × type', () => {
    expect(gpuLabel(4, 'a100')).toBe('4 × a100');
    expect(gpuLabel(2, null)).toBe('2');
    expect(gpuLabel(0, null)).toBe('—');
  });
});
