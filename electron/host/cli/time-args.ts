// Times on the command line: `2026-11-01`, `2026-11-01T08:00`, an ISO time with offset, epoch seconds, or
// a span back from now: `90m`, `36h`, `7d`, `2w` (also written `now-7d`).
import { UsageError } from './command';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

export function parseTimeArg(text: string, nowSec: number, option: string): number {
  const t = text.trim();
  const rel = /^(?:now-)?(\d+)\s*([smhdw])$/i.exec(t);
  if (rel) return nowSec - Number(rel[1]) * (UNITS[(rel[2] as string).toLowerCase()] as number);
  if (t === 'now') return nowSec;
  if (/^\d{9,11}$/.test(t)) return Number(t);
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/.test(t)) {
    // A date without a zone is local time of this machine, as a person typing it means.
    const ms = Date.parse(t.length === 10 ? `${t}T00:00:00` : t.replace(' ', 'T'));
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
  }
  throw new UsageError(`--${option} ${JSON.stringify(text)}: give a date (2026-11-01), an ISO time, epoch seconds, or a span like 7d / 36h`);
}
