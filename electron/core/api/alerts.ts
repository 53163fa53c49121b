// The alerts area of the API: lists, history, acknowledge / snooze, rule availability and thresholds.
import os from 'node:os';
import type { Api } from '../../../shared/api/contract';
import type { AlertView } from '../../../shared/api/methods/alerts';
import { AlertNotFound } from '../alerts/engine';
import { saveAlertSettings } from '../alerts/alert-settings';
import { AlertsRepo, type StoredAlert } from '../store/alerts-repo';
import { ClustersRepo } from '../store/clusters-repo';
import { SettingsRepo } from '../store/settings-repo';
import { SnapshotsRepo } from '../store/snapshots-repo';
import { ApiError } from '../../../shared/api/errors';
import { nowSeconds, type CoreContext } from './context';

type AlertsApi = Pick<Api, 'alerts.list' | 'alerts.history' | 'alerts.acknowledge' | 'alerts.snooze' | 'alerts.settings' | 'alerts.saveSettings'>;

function view(a: StoredAlert): AlertView {
  // The lifecycle's bookkeeping stays in the core.
  const { clearSince: _clearSince, notifiedAt: _notifiedAt, ...rest } = a;
  return rest;
}

/** Who acknowledged: the local account running the console (the web host only serves 127.0.0.1 with a token). */
function actor(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

function writable(ctx: CoreContext): void {
  if (ctx.store.readonly) throw new ApiError('unavailable', 'this console shows a read-only snapshot: alerts cannot be acknowledged or snoozed here');
}

function guard<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof AlertNotFound) throw new ApiError('bad-request', err.message);
    if (err instanceof Error && /only .* alerts can be|snooze until/.test(err.message)) throw new ApiError('bad-request', err.message);
    throw err;
  }
}

export function alertsApi(ctx: CoreContext): AlertsApi {
  const repo = () => new AlertsRepo(ctx.store.db);
  return {
    'alerts.list': async (req) => {
      const r = repo();
      const alerts = r.list({ scope: req.scope ?? 'active', cluster: req.cluster, rule: req.rule, limit: req.limit }).map(view);
      const snaps = new SnapshotsRepo(ctx.store.db);
      const dataAt: Record<string, number | null> = {};
      for (const c of new ClustersRepo(ctx.store.db).list()) {
        const n = snaps.latest(c.id, 'nodes');
        const q = snaps.latest(c.id, 'queue');
        dataAt[c.name] = n && q ? Math.min(n.finishedAt, q.finishedAt) : null;
      }
      const totals = { open: 0, acknowledged: 0, snoozed: 0, critical: 0 };
      for (const c of r.activeCounts().values()) {
        totals.open += c.open;
        totals.acknowledged += c.acknowledged;
        totals.snoozed += c.snoozed;
        totals.critical += c.critical;
      }
      const rules = r.ruleStatus().filter((s) => !req.cluster || s.cluster === req.cluster);
      return { alerts, rules, dataAt, totals };
    },
    'alerts.history': async (req) => ({ events: repo().events(req) }),
    'alerts.acknowledge': async ({ id }) => {
      writable(ctx);
      return view(guard(() => ctx.alerts.acknowledge(id, actor())));
    },
    'alerts.snooze': async ({ id, until }) => {
      writable(ctx);
      if (until <= nowSeconds(ctx)) throw new ApiError('bad-request', 'snooze until a time in the future');
      return view(guard(() => ctx.alerts.snooze(id, until, actor())));
    },
    'alerts.settings': async () => ctx.alerts.settings(),
    'alerts.saveSettings': async (settings) => {
      writable(ctx);
      try {
        return saveAlertSettings(new SettingsRepo(ctx.store.db), settings as Parameters<typeof saveAlertSettings>[1], nowSeconds(ctx));
      } catch (err) {
        throw new ApiError('bad-request', (err as Error).message);
      }
    },
  };
}
