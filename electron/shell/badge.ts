// The open-alert count on the dock / taskbar / tray. One function takes the count; it is fed by the core's
// `alerts.changed` event ({ open }) when the core has one — looked up at run time, so the shell works
// before and after the alerts API exists, and a payload of another shape is ignored, not trusted.
import { z } from 'zod';
import type { Api } from '../../shared/api/contract';
import type { EventListener } from '../../shared/api/events';
import { dispatch } from '../core/dispatch';

export const ALERTS_CHANGED_EVENT = 'alerts.changed';
const AlertsChanged = z.object({ open: z.number().int().nonnegative() });

export interface BadgeTargets {
  /** app.setBadgeCount: the dock (macOS) and Unity launchers (Linux). */
  setBadgeCount?: (count: number) => boolean;
  tray?: { setToolTip(text: string): void; setTitle?(text: string): void } | null;
  /** Windows' taskbar overlay: a red dot while alerts are open. */
  setOverlay?: (count: number) => void;
}

export function alertSummary(open: number): string {
  if (open === 0) return 'ClusterOps Console: no open alerts';
  return `ClusterOps Console: ${open} open alert${open === 1 ? '' : 's'}`;
}

/** The function that shows a count everywhere the platform has a place for it. */
export function createAlertBadge(targets: BadgeTargets): (open: number) => void {
  return (open) => {
    const n = Number.isInteger(open) && open > 0 ? open : 0;
    try {
      targets.setBadgeCount?.(n);
    } catch {
      // No launcher to badge (a Linux desktop without Unity's API): the tray still says it.
    }
    targets.tray?.setToolTip(alertSummary(n));
    targets.tray?.setTitle?.(n > 0 ? String(n) : '');
    targets.setOverlay?.(n);
  };
}

/** The open count carried by a core event, or null when the event is not `alerts.changed` (or malformed). */
export function openAlertsOf(event: string, payload: unknown): number | null {
  if (event !== ALERTS_CHANGED_EVENT) return null;
  const parsed = AlertsChanged.safeParse(payload);
  return parsed.success ? parsed.data.open : null;
}

export function watchOpenAlerts(subscribe: (listener: EventListener) => () => void, show: (open: number) => void): () => void {
  return subscribe((event, payload) => {
    const open = openAlertsOf(event, payload);
    if (open !== null) show(open);
  });
}

const AlertTotals = z.object({ totals: z.object({ open: z.number().int().nonnegative(), acknowledged: z.number().int().nonnegative() }) });

/**
 * The count to show before the first `alerts.changed`: active alerts (open or acknowledged, as that event
 * counts them) from `alerts.list`; null when the core has no such method or answers something else.
 */
export async function initialOpenAlerts(api: Api): Promise<number | null> {
  try {
    const parsed = AlertTotals.safeParse(await dispatch(api, 'alerts.list', {}));
    return parsed.success ? parsed.data.totals.open + parsed.data.totals.acknowledged : null;
  } catch {
    return null; // no alerts API in this core, or it failed: the next alerts.changed sets the badge
  }
}

/** A filled circle as a BGRA bitmap (for nativeImage.createFromBitmap): tray icon and overlay dot. */
export function circleBitmap(size: number, [r, g, b]: readonly [number, number, number]): Buffer {
  const data = Buffer.alloc(size * size * 4);
  const c = (size - 1) / 2;
  const radius = size / 2 - 0.5;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      const alpha = Math.max(0, Math.min(1, radius - d + 0.5)); // soft edge
      const i = (y * size + x) * 4;
      data[i] = Math.round(b * alpha); // premultiplied BGRA
      data[i + 1] = Math.round(g * alpha);
      data[i + 2] = Math.round(r * alpha);
      data[i + 3] = Math.round(255 * alpha);
    }
  }
  return data;
}
