// The window the preemption history shows: a preset back from "now" (the core's clock, or the time-travel
// moment), or from/to chosen by hand. Pure, so it is unit-tested.

export type Preset = '24h' | '7d' | '30d';
export const PRESETS: { id: Preset; label: string; seconds: number }[] = [
  { id: '24h', label: '24 h', seconds: 86_400 },
  { id: '7d', label: '7 d', seconds: 7 * 86_400 },
  { id: '30d', label: '30 d', seconds: 30 * 86_400 },
];

export type WindowChoice = { kind: 'preset'; preset: Preset } | { kind: 'custom'; from: number; to: number };

/** [from, to) in epoch seconds. A preset ends at the next whole minute after `base`, so the query (and
 * what it loads) changes at most once a minute as the clock advances. */
export function resolveWindow(choice: WindowChoice, base: number): { from: number; to: number } {
  if (choice.kind === 'custom') return { from: choice.from, to: choice.to };
  const seconds = PRESETS.find((x) => x.id === choice.preset)?.seconds ?? 86_400;
  const to = Math.ceil((base + 1) / 60) * 60;
  return { from: to - seconds, to };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch seconds as an `<input type="datetime-local">` value, in the user's zone. */
export function toLocalInput(epochSec: number): string {
  const d = new Date(epochSec * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An `<input type="datetime-local">` value (user's zone) as epoch seconds; null when empty or invalid. */
export function fromLocalInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const n = (i: number) => Number(m[i] ?? 0);
  const date = new Date(n(1), n(2) - 1, n(3), n(4), n(5), n(6));
  // Date rolls 2026-13-45 over into a later date; such input is refused rather than silently moved.
  if (Number.isNaN(date.getTime()) || date.getMonth() !== n(2) - 1 || date.getDate() !== n(3) || n(4) > 23 || n(5) > 59) return null;
  return Math.floor(date.getTime() / 1000);
}

/** GPU-seconds as GPU-hours for people: exact zero stays 0, tiny losses say so instead of rounding to 0. */
export function formatGpuSeconds(gpuSeconds: number, format: (h: number) => string): string {
  if (gpuSeconds === 0) return format(0);
  if (gpuSeconds < 36) return '< 0.01 GPU-h';
  return format(gpuSeconds / 3600);
}
