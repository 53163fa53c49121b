// What a person may type into the time-travel box, read in their own zone: "14:05" (today, or yesterday
// when that is still ahead), "2026-11-26 14:05", an ISO time with zone, "3h ago" / "-90m" / "2d", or a
// raw epoch. Returns epoch seconds, or an error that says what is understood.

export type ParsedTime = { ok: true; at: number } | { ok: false; error: string };

const HELP = 'type a time like 14:05, 2026-11-26 14:05, 3h ago or -90m';
const UNIT_S: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600, d: 86_400, w: 604_800 };

export function parseTypedTime(text: string, nowSec: number): ParsedTime {
  const t = text.trim().toLowerCase();
  if (t === '') return { ok: false, error: HELP };
  if (t === 'now' || t === 'live') return { ok: true, at: nowSec };

  const rel = /^-?\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)\s*(ago)?$/.exec(t);
  if (rel && (t.startsWith('-') || rel[3] || /^\d/.test(t))) {
    return { ok: true, at: Math.round(nowSec - Number(rel[1]) * UNIT_S[rel[2]!]!) };
  }
  if (/^\d{9,11}$/.test(t)) return { ok: true, at: Number(t) };

  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (clock) {
    const [h, m, s] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
    if (h > 23 || m > 59 || s > 59) return { ok: false, error: `${text.trim()} is not a time of day` };
    const d = new Date(nowSec * 1000);
    d.setHours(h, m, s, 0);
    let at = Math.floor(d.getTime() / 1000);
    if (at > nowSec) {
      d.setDate(d.getDate() - 1); // "09:00" typed at 08:00 means this morning's past: yesterday
      at = Math.floor(d.getTime() / 1000);
    }
    return { ok: true, at };
  }

  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[ t](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (local) {
    const [y, mo, da, h, mi, s] = local.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
    const d = new Date(y, mo - 1, da, h, mi, s);
    if (d.getFullYear() !== y || d.getMonth() !== mo - 1 || d.getDate() !== da || h > 23 || mi > 59 || s > 59) {
      return { ok: false, error: `${text.trim()} is not a real date and time` };
    }
    return { ok: true, at: Math.floor(d.getTime() / 1000) };
  }

  if (/^\d{4}-\d{2}-\d{2}t\d{2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const ms = Date.parse(t.toUpperCase());
    if (Number.isFinite(ms)) return { ok: true, at: Math.floor(ms / 1000) };
  }
  return { ok: false, error: `cannot read "${text.trim()}": ${HELP}` };
}

/** The snapshot to show for a wanted time: the newest one at or before it (what the core will pick). */
export function snapshotFor(times: readonly number[], wanted: number): number | null {
  let best: number | null = null;
  for (const t of times) if (t <= wanted && (best === null || t > best)) best = t;
  return best;
}
