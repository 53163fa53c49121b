// Now-grid slots: IDX per type or across the node's whole GPU bitmap, counts without indices, and nodes
// that take no work.
import { describe, expect, it } from 'vitest';
import { slotStates } from '../../../../../renderer/src/views/heatmap/slots';

describe('slotStates', () => {
  it('marks the indices Slurm reports in use', () => {
    const s = slotStates({ canTakeWork: true, gpus: [{ type: 'a100', total: 4, used: 2, usedIndices: [1, 3] }] });
    expect(s.map((x) => x.state)).toEqual(['free', 'used', 'free', 'used']);
  });

  it('reads IDX past a type\'s own count as positions in the node\'s whole GPU list', () => {
    const s = slotStates({ canTakeWork: true, gpus: [{ type: 'a100', total: 2, used: 1, usedIndices: [0] }, { type: 'v100', total: 2, used: 1, usedIndices: [3] }] });
    expect(s.map((x) => `${x.type}:${x.index}:${x.state}`)).toEqual(['a100:0:used', 'a100:1:free', 'v100:0:free', 'v100:1:used']);
  });

  it('marks the first `used` slots when Slurm gave a count without indices, and greys out nodes that take no work', () => {
    expect(slotStates({ canTakeWork: true, gpus: [{ type: null, total: 3, used: 2, usedIndices: null }] }).map((x) => x.state)).toEqual(['used-unknown-index', 'used-unknown-index', 'free']);
    expect(slotStates({ canTakeWork: false, gpus: [{ type: 'h100', total: 2, used: 1, usedIndices: [0] }] }).map((x) => x.state)).toEqual(['unavailable-used', 'unavailable']);
  });
});
