// One heatmap cell as one byte, so a 1,000-node × 2,016-bucket week is a 2 MB Uint8Array that crosses the
// bridge whole and becomes pixels through a 256-entry colour table. The codes are ordered by severity, so
// merging cells (several buckets or nodes under one pixel) is just `max`: the worst state wins, and among
// nodes in service the highest allocated share wins.
//
//   0            no sample in this bucket (the console was not polling, or the node did not exist)
//   1 … 101      in service, share of the node's GPUs allocated: code − 1 percent
//   102 … 202    draining (DRAIN flag, jobs still running): code − 102 percent allocated
//   240          powered down / powering / future / unknown: not there to take work, nothing wrong
//   241          maintenance or reserved for maintenance
//   242          drained (DRAIN, no jobs left)
//   250          not responding (`*`)
//   251          failing / fail
//   252          down (or ERROR)
//
// A node without GPUs has no share; its in-service cells are coded 1 (0 %), and the view leaves such
// nodes out unless asked.

export const CELL_NONE = 0;
export const CELL_SHARE_BASE = 1;
export const CELL_DRAINING_BASE = 102;
export const CELL_OFF = 240;
export const CELL_MAINT = 241;
export const CELL_DRAINED = 242;
export const CELL_NOT_RESPONDING = 250;
export const CELL_FAIL = 251;
export const CELL_DOWN = 252;

/** What a state key (`MIXED+DRAIN`, as node_samples code it) means for the heatmap. */
export type CellClass = 'service' | 'draining' | 'drained' | 'off' | 'maint' | 'not-responding' | 'fail' | 'down';

const OFF_FLAGS = new Set(['POWERED_DOWN', 'POWERING_DOWN', 'POWER_DOWN', 'POWERING_UP']);
const MAINT_FLAGS = new Set(['MAINTENANCE', 'RESERVED']);

/**
 * Classify a state key: base state plus `+`-joined flags. Worst condition first, so `DOWN+DRAIN+NOT_RESPONDING`
 * is down, `IDLE+DRAIN+NOT_RESPONDING` is not responding, `MIXED+DRAIN` is draining.
 */
export function classifyStateKey(key: string): CellClass {
  const [base = 'UNKNOWN', ...flags] = key.toUpperCase().split('+');
  const has = (f: string) => flags.includes(f);
  if (base === 'DOWN' || base === 'ERROR') return 'down';
  if (has('FAIL')) return 'fail';
  if (has('NOT_RESPONDING')) return 'not-responding';
  if (has('DRAIN')) {
    const busy = base === 'ALLOCATED' || base === 'MIXED' || has('COMPLETING');
    return busy ? 'draining' : 'drained';
  }
  if (flags.some((f) => MAINT_FLAGS.has(f))) return 'maint';
  if (base === 'FUTURE' || base === 'UNKNOWN' || flags.some((f) => OFF_FLAGS.has(f)) || has('INVALID_REG')) return 'off';
  return 'service';
}

/** Percent of the node's GPUs allocated, 0–100 (0 for a node without GPUs). */
export function sharePercent(alloc: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.round((100 * alloc) / total));
}

/** The byte for one sample. */
export function cellCode(cls: CellClass, alloc: number, total: number): number {
  switch (cls) {
    case 'service':
      return CELL_SHARE_BASE + sharePercent(alloc, total);
    case 'draining':
      return CELL_DRAINING_BASE + sharePercent(alloc, total);
    case 'drained':
      return CELL_DRAINED;
    case 'off':
      return CELL_OFF;
    case 'maint':
      return CELL_MAINT;
    case 'not-responding':
      return CELL_NOT_RESPONDING;
    case 'fail':
      return CELL_FAIL;
    case 'down':
      return CELL_DOWN;
  }
}

/** Read a byte back: its class (null for "no sample") and, for service/draining, the share. */
export function describeCell(code: number): { cls: CellClass | null; share: number | null } {
  if (code === CELL_NONE) return { cls: null, share: null };
  if (code < CELL_DRAINING_BASE) return { cls: 'service', share: code - CELL_SHARE_BASE };
  if (code <= CELL_DRAINING_BASE + 100) return { cls: 'draining', share: code - CELL_DRAINING_BASE };
  if (code === CELL_DRAINED) return { cls: 'drained', share: null };
  if (code === CELL_MAINT) return { cls: 'maint', share: null };
  if (code === CELL_NOT_RESPONDING) return { cls: 'not-responding', share: null };
  if (code === CELL_FAIL) return { cls: 'fail', share: null };
  if (code === CELL_DOWN) return { cls: 'down', share: null };
  return { cls: 'off', share: null };
}

export const CELL_CLASS_LABEL: Record<CellClass, string> = {
  service: 'in service',
  draining: 'draining',
  drained: 'drained',
  off: 'powered down / unknown',
  maint: 'maintenance',
  'not-responding': 'not responding',
  fail: 'failing',
  down: 'down',
};
