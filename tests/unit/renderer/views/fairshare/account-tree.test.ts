import { describe, expect, it } from 'vitest';
import type { FairshareNode } from '../../../../../shared/api/methods/fairshare';
import { visibleRows } from '../../../../../renderer/src/views/fairshare/account-tree';
import { sortBy } from '../../../../../renderer/src/views/fairshare/sort-rows';

const n = (account: string, user: string | null, depth: number): FairshareNode => ({
  account,
  user,
  depth,
  parent: null,
  rawShares: 1,
  normShares: null,
  rawUsage: 0,
  effectiveUsage: null,
  fairShare: null,
  levelFs: null,
});

// The test bed's tree in sshare order: root → research → {vision, nlp}, production → inference, ops.
const rows = [
  n('root', null, 0),
  n('research', null, 1),
  n('nlp', null, 2),
  n('nlp', 'alice', 3),
  n('vision', null, 2),
  n('vision', 'opsuser', 3),
  n('production', null, 1),
  n('inference', null, 2),
  n('inference', 'bob', 3),
  n('ops', null, 1),
];

describe('account tree', () => {
  it('shows every row when nothing is collapsed, marking accounts that have children', () => {
    const v = visibleRows(rows, new Set());
    expect(v.map((r) => r.id)).toEqual(['root', 'research', 'nlp', 'nlp/alice', 'vision', 'vision/opsuser', 'production', 'inference', 'inference/bob', 'ops']);
    expect(v.filter((r) => r.hasChildren).map((r) => r.id)).toEqual(['root', 'research', 'nlp', 'vision', 'production', 'inference']);
  });
  it('collapsing an account hides its whole subtree and nothing after it', () => {
    expect(visibleRows(rows, new Set(['research'])).map((r) => r.id)).toEqual(['root', 'research', 'production', 'inference', 'inference/bob', 'ops']);
    expect(visibleRows(rows, new Set(['root'])).map((r) => r.id)).toEqual(['root']);
  });
  it('collapsing a leaf account changes nothing', () => {
    expect(visibleRows(rows, new Set(['ops']))).toHaveLength(rows.length);
  });
});

describe('pending jobs sort', () => {
  const jobs = [
    { jobIdRaw: 3, priority: 10, qos: 'normal' as string | null },
    { jobIdRaw: 1, priority: 30, qos: null },
    { jobIdRaw: 2, priority: 10, qos: 'high' },
  ];
  it('sorts numbers numerically with ties by job id, missing values last either way', () => {
    expect(sortBy(jobs, 'priority', 'desc').map((j) => j.jobIdRaw)).toEqual([1, 2, 3]);
    expect(sortBy(jobs, 'priority', 'asc').map((j) => j.jobIdRaw)).toEqual([2, 3, 1]);
    expect(sortBy(jobs, 'qos', 'asc').map((j) => j.jobIdRaw)).toEqual([2, 3, 1]);
    expect(sortBy(jobs, 'qos', 'desc').map((j) => j.jobIdRaw)).toEqual([3, 2, 1]);
  });
});
