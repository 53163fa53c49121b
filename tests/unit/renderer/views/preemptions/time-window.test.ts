import { describe, expect, it } from 'vitest';
import { formatGpuSeconds, fromLocalInput, resolveWindow, toLocalInput } from '../../../../../renderer/src/views/preemptions/time-window';

describe('preemption window', () => {
  it('a preset ends at the next whole minute after the base and spans its length', () => {
    expect(resolveWindow({ kind: 'preset', preset: '24h' }, 1_000_030)).toEqual({ from: 1_000_080 - 86_400, to: 1_000_080 });
    expect(resolveWindow({ kind: 'preset', preset: '7d' }, 1_000_020).to - resolveWindow({ kind: 'preset', preset: '7d' }, 1_000_020).from).toBe(7 * 86_400);
    // Exactly on a minute still moves to the next one: the window includes the base instant.
    expect(resolveWindow({ kind: 'preset', preset: '30d' }, 1_000_020).to).toBe(1_000_080);
  });
  it('a custom window is kept as chosen', () => {
    expect(resolveWindow({ kind: 'custom', from: 5, to: 9 }, 1_000_000)).toEqual({ from: 5, to: 9 });
  });
  it('datetime-local values round-trip in the local zone and bad ones give null', () => {
    const t = 1_795_696_260; // a whole minute
    expect(fromLocalInput(toLocalInput(t))).toBe(t);
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('2026-13-45T10:00')).toBeNull();
    expect(fromLocalInput('2026-02-10T24:30')).toBeNull();
    expect(fromLocalInput('yesterday')).toBeNull();
  });
  it('GPU-seconds read as GPU-hours, small losses are not rounded to zero', () => {
    const f = (h: number) => `${h.toFixed(2)} GPU-h`;
    expect(formatGpuSeconds(0, f)).toBe('0.00 GPU-h');
    expect(formatGpuSeconds(4, f)).toBe('< 0.01 GPU-h');
    expect(formatGpuSeconds(4 * 5400, f)).toBe('6.00 GPU-h');
  });
});
