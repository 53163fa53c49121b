import { describe, expect, it } from 'vitest';
import { moments } from '../../../../renderer/src/time-travel/moments';

const t = (at: number, cluster: string) => ({ at, cluster, kinds: ['nodes', 'queue'] });

describe('moments', () => {
  it('groups one poll cycle across clusters, newest first, at the newest time of the group', () => {
    expect(moments([t(1000, 'beta'), t(990, 'alpha'), t(700, 'beta'), t(650, 'alpha')])).toEqual([
      { at: 1000, clusters: ['beta', 'alpha'] },
      { at: 700, clusters: ['beta'] },
      { at: 650, clusters: ['alpha'] },
    ]);
  });

  it('never merges two snapshots of one cluster, however close (each stays reachable)', () => {
    expect(moments([t(1000, 'alpha'), t(999, 'alpha'), t(998, 'beta')])).toEqual([
      { at: 1000, clusters: ['alpha'] },
      { at: 999, clusters: ['alpha', 'beta'] },
    ]);
    expect(moments([])).toEqual([]);
  });
});
