// GPU slots of one node for the now-grid: types in the order Slurm lists them, each type's GPUs in index
// order, marked in use from usedIndices, or from the count when Slurm gave none. Slurm's IDX is the bit in
// the node's whole GPU bitmap (types laid end to end, `gpu:a100:1(IDX:0),gpu:v100:1(IDX:4)`), so a type's
// indices are taken relative to the GPUs listed before it whenever they run past the type's own count.
import type { HeatmapNowNode } from '../../../../shared/api/methods/heatmap';

export type SlotState = 'used' | 'used-unknown-index' | 'free' | 'unavailable' | 'unavailable-used';

export interface Slot {
  type: string | null;
  /** The GPU's index within its type (Slurm's IDX). */
  index: number;
  state: SlotState;
}

export function slotStates(node: Pick<HeatmapNowNode, 'gpus' | 'canTakeWork'>): Slot[] {
  const out: Slot[] = [];
  let offset = 0;
  for (const g of node.gpus) {
    const global = g.usedIndices !== null && g.usedIndices.some((i) => i >= g.total);
    const used = g.usedIndices ? new Set(g.usedIndices.map((i) => (global ? i - offset : i))) : null;
    offset += g.total;
    for (let i = 0; i < g.total; i++) {
      const busy = used ? used.has(i) : i < g.used;
      let state: SlotState = busy ? (used ? 'used' : 'used-unknown-index') : 'free';
      if (!node.canTakeWork) state = busy ? 'unavailable-used' : 'unavailable';
      out.push({ type: g.type, index: i, state });
    }
  }
  return out;
}
