import { beforeEach, describe, expect, it } from 'vitest';
import { selectedJobs, useSelectionStore, type SelectedJob } from '../../../../renderer/src/store/selection-store';

const job = (cluster: string, jobIdRaw: number): SelectedJob => ({ cluster, jobIdRaw, jobId: String(jobIdRaw), state: 'PENDING', user: 'alice', account: 'nlp' });

describe('selection store', () => {
  beforeEach(() => useSelectionStore.getState().clear());

  it('keys jobs by cluster and raw id: the same id on two clusters is two jobs', () => {
    const s = useSelectionStore.getState();
    s.set([job('alpha', 7), job('beta', 7)], 'alpha:7');
    expect(selectedJobs().map((j) => `${j.cluster}:${j.jobIdRaw}`)).toEqual(['alpha:7', 'beta:7']);
    expect(useSelectionStore.getState().anchor).toBe('alpha:7');
  });

  it('toggle adds or removes one job and moves the anchor; add keeps what was there; clear empties', () => {
    const s = useSelectionStore.getState();
    s.toggle(job('alpha', 1));
    s.toggle(job('alpha', 2));
    s.toggle(job('alpha', 1));
    expect(selectedJobs().map((j) => j.jobIdRaw)).toEqual([2]);
    expect(useSelectionStore.getState().anchor).toBe('alpha:1');
    s.add([job('alpha', 2), job('alpha', 3)]);
    expect(selectedJobs().map((j) => j.jobIdRaw)).toEqual([2, 3]);
    s.clear();
    expect(selectedJobs()).toEqual([]);
    expect(useSelectionStore.getState().anchor).toBeNull();
  });
});
