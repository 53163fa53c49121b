// How numbers and times read in the console: units always shown, times in the user's zone with the
// cluster's zone on hover, ages as "N min old".

export function formatAge(nowSec: number, thenSec: number | null): string {
  if (thenSec === null) return 'never synced';
  const s = Math.max(0, nowSec - thenSec);
  if (s < 90) return `${s} s old`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min old`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h old`;
  return `${Math.round(s / 86400)} d old`;
}

// Building an Intl.DateTimeFormat costs far more than using one; tables format hundreds of times per render.
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** A time in the user's zone (the browser's), e.g. "26 Nov, 14:05". */
export function formatTime(epochSec: number, zone?: string): string {
  let f = timeFormats.get(zone ?? '');
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      ...(zone ? { timeZone: zone, timeZoneName: 'short' } : {}),
    });
    timeFormats.set(zone ?? '', f);
  }
  return f.format(new Date(epochSec * 1000));
}

/** Tooltip text: the same moment in the cluster's own zone and in ISO form. */
export function timeTitle(epochSec: number, clusterZone: string | null): string {
  const iso = new Date(epochSec * 1000).toISOString().replace('.000Z', 'Z');
  return clusterZone ? `${formatTime(epochSec, clusterZone)} (cluster time, ${clusterZone})\n${iso}` : iso;
}

export function formatNumber(n: number, digits = 0): string {
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

export function formatGpuHours(h: number): string {
  return `${formatNumber(h, h < 10 ? 2 : 1)} GPU-h`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  if (m) return `${m} min`;
  return `${s} s`;
}
