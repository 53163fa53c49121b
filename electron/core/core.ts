// createCore: the object that implements the API contract on top of a store and, for live data, the
// connections. Hosts (IPC, WebSocket, CLI) call it; it never knows which one is calling.
import type { Api } from '../../shared/api/contract';
import type { EventListener, EventName, EventPayload } from '../../shared/api/events';
import { actionsApi } from './api/actions';
import { alertsApi } from './api/alerts';
import { AlertEngine, type AlertEngineOptions } from './alerts/engine';
import { fairshareTree, pendingPriorities } from './api/fairshare';
import { fleetOverview } from './api/fleet';
import { clustersList, clustersRemove, clustersSave, retentionSave } from './api/clusters';
import { clusterSyncNow, clusterTest } from './api/cluster-test';
import { snapshotTimes } from './api/snapshot-times';
import { sshImport, sshImportPreview } from './api/ssh-import';
import { heatmapCell, heatmapNow, heatmapRange } from './api/heatmap';
import { jobRuns, jobsTable } from './api/jobs';
import { nowSeconds, type CoreContext } from './api/context';
import { listPreemptions } from './api/preemptions';
import { usageExport, usageReport } from './api/usage';
import { UsageExportRequest, UsageRequest } from '../../shared/api/methods/usage';
import { SAVE_DIALOG_UNAVAILABLE } from '../../shared/api/methods/dialogs';
import { systemClock, type Clock, type Notifier } from './ports';
import type { ClusterSync } from './runtime/cluster-sync';
import type { LiveServices } from './runtime/live-services';
import type { ConnectionPool } from './ssh/pool';
import type { Store } from './store/db';
import { APP_VERSION } from './version';

export interface CoreOptions {
  host: 'desktop' | 'web';
  store: Store;
  source: CoreContext['source'];
  clock?: Clock;
  pool?: ConnectionPool | null;
  sync?: ClusterSync | null;
  /** Live cores: throwaway connections for tests, the host-key and secret brokers, re-planning polls. */
  live?: LiveServices | null;
  /** Desktop notifications for alerts; default: an `alerts.notice` event the page shows itself. */
  notifier?: Notifier | null;
  /** GPU utilization reader for the allocated-but-idle rule (live cores). */
  utilization?: AlertEngineOptions['utilization'];
}

export interface Core {
  api: Api;
  /** Subscribe to core events (snapshots stored, connection changes, failures). */
  on(listener: EventListener): () => void;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  readonly context: CoreContext;
}

export function createCore(options: CoreOptions): Core {
  const listeners = new Set<EventListener>();
  const emit: EventListener = (event, payload) => {
    for (const l of [...listeners]) l(event, payload);
  };
  const clock = options.clock ?? systemClock;
  const alerts = new AlertEngine(options.store, {
    clock,
    notifier: options.notifier ?? { notify: (notice) => emit('alerts.notice', notice) },
    changed: (summary) => emit('alerts.changed', summary),
    utilization: options.utilization ?? null,
    connection: (cluster) => {
      const c = options.pool?.find(cluster);
      if (!c) return null;
      const s = c.status();
      return { state: s.state, message: s.message };
    },
  });
  const ctx: CoreContext = {
    host: options.host,
    store: options.store,
    source: options.source,
    clock,
    pool: options.pool ?? null,
    sync: options.sync ?? null,
    live: options.live ?? null,
    emit,
    alerts,
  };
  const api: Api = {
    'app.info': async () => ({
      name: 'ClusterOps Console',
      version: APP_VERSION,
      host: ctx.host,
      now: nowSeconds(ctx),
      source: ctx.source,
      dataPath: ctx.store.path,
      readonly: ctx.store.readonly,
    }),
    'fleet.overview': async ({ at }) => fleetOverview(ctx, at),
    'clusters.list': async () => clustersList(ctx),
    'clusters.save': async (req) => clustersSave(ctx, req),
    'clusters.remove': async ({ name }) => clustersRemove(ctx, name),
    'clusters.test': async ({ config }) => clusterTest(ctx, config),
    'clusters.syncNow': async ({ name }) => clusterSyncNow(ctx, name),
    'clusters.importPreview': async ({ path }) => sshImportPreview(ctx, path),
    'clusters.import': async ({ path, hosts }) => sshImport(ctx, path, hosts),
    'hostKeys.pending': async () => ctx.live?.hostKeys.open() ?? [],
    'hostKeys.answer': async ({ id, answer }) => ({ accepted: ctx.live?.hostKeys.answer(id, answer) ?? false }),
    'secrets.pending': async () => ctx.live?.secretPrompts.open() ?? [],
    'secrets.answer': async (answer) => ctx.live?.secretPrompts.answer(answer) ?? { accepted: false, remember: false },
    'settings.saveRetention': async (change) => retentionSave(ctx, change),
    'snapshots.list': async (req) => snapshotTimes(ctx, req),
    'preemptions.list': async (request) => listPreemptions(ctx, request),
    'fairshare.tree': async (request) => fairshareTree(ctx.store, request),
    'priority.pending': async (request) => pendingPriorities(ctx.store, request),
    ...actionsApi(ctx),
    ...alertsApi(ctx),
    'heatmap.range': async (req) => heatmapRange(ctx, req),
    'heatmap.cell': async (req) => heatmapCell(ctx, req),
    'heatmap.now': async (req) => heatmapNow(ctx, req),
    'jobs.table': async ({ at }) => jobsTable(ctx, at),
    'jobs.runs': async (request) => jobRuns(ctx, request),
    // Parsed again for zod's defaults (the dispatcher checked it; the Api type is the input shape).
    'usage.report': async (request) => usageReport(ctx, UsageRequest.parse(request)),
    'usage.export': async (request) => usageExport(ctx, UsageExportRequest.parse(request)),
    // Native dialogs belong to the desktop shell, which answers this method itself; any other host has none.
    'dialogs.saveFile': async () => ({ available: false, reason: SAVE_DIALOG_UNAVAILABLE }),
  };
  return {
    api,
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit,
    context: ctx,
  };
}
