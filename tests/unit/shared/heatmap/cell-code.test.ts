// Cell bytes: state keys as node_samples code them (base state + sorted flags), shares, and the severity
// order that makes merging a plain max.
import { describe, expect, it } from 'vitest';
import {
  cellCode, classifyStateKey, describeCell, sharePercent,
  CELL_DOWN, CELL_DRAINED, CELL_DRAINING_BASE, CELL_FAIL, CELL_MAINT, CELL_NONE, CELL_NOT_RESPONDING, CELL_OFF, CELL_SHARE_BASE,
} from '../../../../shared/heatmap/cell-code';

describe('classifyStateKey', () => {
  it.each([
    ['IDLE', 'service'],
    ['MIXED', 'service'],
    ['ALLOCATED+COMPLETING', 'service'],
    ['IDLE+DRAIN', 'drained'],
    ['MIXED+DRAIN', 'draining'],
    ['ALLOCATED+DRAIN', 'draining'],
    ['IDLE+COMPLETING+DRAIN', 'draining'],
    ['DOWN+DRAIN', 'down'],
    ['DOWN+NOT_RESPONDING', 'down'],
    ['ERROR', 'down'],
    ['IDLE+DRAIN+NOT_RESPONDING', 'not-responding'],
    ['MIXED+NOT_RESPONDING', 'not-responding'],
    ['MIXED+DRAIN+FAIL', 'fail'],
    ['IDLE+FAIL', 'fail'],
    ['IDLE+MAINTENANCE+RESERVED', 'maint'],
    ['IDLE+POWERED_DOWN', 'off'],
    ['FUTURE', 'off'],
    ['UNKNOWN', 'off'],
    ['IDLE+CLOUD', 'service'],
    ['IDLE+SOME_FLAG_FROM_25.11', 'service'],
  ])('%s is %s', (key, cls) => {
    expect(classifyStateKey(key)).toBe(cls);
  });
});

describe('cellCode', () => {
  it('codes the share in percent for nodes in service and draining', () => {
    expect(cellCode('service', 0, 8)).toBe(CELL_SHARE_BASE);
    expect(cellCode('service', 3, 8)).toBe(CELL_SHARE_BASE + 38);
    expect(cellCode('service', 8, 8)).toBe(CELL_SHARE_BASE + 100);
    expect(cellCode('draining', 2, 4)).toBe(CELL_DRAINING_BASE + 50);
    expect(cellCode('service', 5, 0)).toBe(CELL_SHARE_BASE); // no GPUs: no share
    expect(sharePercent(9, 8)).toBe(100); // more allocated than total (a reconfigured node): capped
  });

  it('orders codes by severity, so the larger byte is always the worse (or busier) cell', () => {
    const ladder = [
      CELL_NONE, cellCode('service', 0, 4), cellCode('service', 4, 4), cellCode('draining', 0, 4), cellCode('draining', 4, 4),
      cellCode('off', 0, 0), cellCode('maint', 0, 0), cellCode('drained', 0, 0), cellCode('not-responding', 0, 0), cellCode('fail', 0, 0), cellCode('down', 0, 0),
    ];
    expect([...ladder].sort((a, b) => a - b)).toEqual(ladder);
    expect(new Set(ladder).size).toBe(ladder.length);
    expect(Math.max(...ladder)).toBeLessThan(256);
  });

  it('reads every code back to its class and share', () => {
    for (let p = 0; p <= 100; p++) {
      expect(describeCell(CELL_SHARE_BASE + p)).toEqual({ cls: 'service', share: p });
      expect(describeCell(CELL_DRAINING_BASE + p)).toEqual({ cls: 'draining', share: p });
    }
    expect(describeCell(CELL_NONE)).toEqual({ cls: null, share: null });
    expect(describeCell(CELL_DRAINED).cls).toBe('drained');
    expect(describeCell(CELL_MAINT).cls).toBe('maint');
    expect(describeCell(CELL_OFF).cls).toBe('off');
    expect(describeCell(CELL_NOT_RESPONDING).cls).toBe('not-responding');
    expect(describeCell(CELL_FAIL).cls).toBe('fail');
    expect(describeCell(CELL_DOWN).cls).toBe('down');
  });
});
