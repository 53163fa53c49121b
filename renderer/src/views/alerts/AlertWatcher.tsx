// Alerts outside the Alerts view: the count on the navigation entry (kept current by `alerts.changed`),
// browser notifications for `alerts.notice` in the web host's page (only once the user turned them on in the
// Alerts view: never a permission prompt on load), and the desktop app's "open this alert" when one of its
// own notifications was clicked.
import { useEffect } from 'react';
import { useBridge } from '../../hooks/bridge-context';
import { useAppStore } from '../../store/app-store';
import { noticeText } from './alert-model';
import { openAlert, useAlertsStore } from './alerts-store';

/** Whether this page may show a browser notification now. */
export function browserNotificationsUsable(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted' && useAlertsStore.getState().notify;
}

export function AlertWatcher() {
  const bridge = useBridge();
  const host = useAppStore((s) => s.info?.host ?? null);
  const setCounts = useAlertsStore((s) => s.setCounts);

  useEffect(() => {
    let live = true;
    const count = () =>
      bridge.api['alerts.list']({ scope: 'active', limit: 1 }).then(
        (r) => live && setCounts(r.totals.open + r.totals.acknowledged, r.totals.critical),
        () => undefined, // an older host without alerts: no badge
      );
    void count();
    const off = bridge.on((event, payload) => {
      if (event === 'alerts.changed') {
        const p = payload as { open: number; critical: number };
        setCounts(p.open, p.critical);
      } else if (event === 'clusters.changed') void count();
    });
    return () => {
      live = false;
      off();
    };
  }, [bridge, setCounts]);

  // Browser notifications: the web host's page only (the desktop shell shows its own).
  useEffect(() => {
    if (host !== 'web') return undefined;
    const shown = new Set<Notification>();
    const off = bridge.on((event, payload) => {
      if (event !== 'alerts.notice' || !browserNotificationsUsable()) return;
      const p = payload as { alertId: number; cluster: string; title: string; body: string; severity: string };
      const text = noticeText(p);
      try {
        const n = new Notification(text.title, { body: text.body, tag: `clusterops-alert-${p.alertId}`, requireInteraction: p.severity === 'critical' });
        shown.add(n);
        n.onclick = () => {
          window.focus();
          openAlert(p.alertId, p.cluster);
          n.close();
        };
        n.onclose = () => shown.delete(n);
      } catch {
        // Some browsers allow notifications only from a service worker: the badge and the view still tell.
      }
    });
    return () => {
      off();
      for (const n of shown) n.close();
    };
  }, [bridge, host]);

  // The desktop app: its notification was clicked.
  useEffect(() => bridge.onOpenAlert?.((id) => openAlert(id)), [bridge]);
  return null;
}

/** The number beside "Alerts" in the navigation. */
export function AlertsNavBadge() {
  const active = useAlertsStore((s) => s.active);
  const critical = useAlertsStore((s) => s.critical);
  if (!active) return null;
  return (
    <span className={`nav-count${critical > 0 ? ' nav-count-critical' : ''}`} data-testid="nav-alert-count" title={`${active} active alert${active === 1 ? '' : 's'}${critical ? `, ${critical} critical` : ''}`}>
      {active}
    </span>
  );
}
