// Assemble a core for the console's hosts: live data (the user's data directory, one connection per
// cluster, the poller running), or, when no cluster is configured yet, the bundled example snapshot opened
// read-only, or an exported snapshot file the user chose.
import { existsSync } from 'node:fs';
import { poolUtilization } from '../alerts/utilization/pool-utilization';
import { createCore, type Core } from '../core';
import type { HostKeyPrompt, Notifier, SecretPrompt, SecretStore } from '../ports';
import { HostVerifier } from '../ssh/host-verifier';
import { ConnectionPool } from '../ssh/pool';
import { ClustersRepo } from '../store/clusters-repo';
import { openStore, type Store } from '../store/db';
import { HostKeysRepo } from '../store/host-keys-repo';
import { ClusterSync } from './cluster-sync';
import { HostKeyBroker } from './host-key-broker';
import { SecretBroker } from './secret-broker';
import type { LiveServices } from './live-services';
import { Poller } from './poller';
import { openSnapshotStore } from './read-only-snapshot';
import { StoredPinnedKeys } from './stored-pinned-keys';

export interface RunningCore {
  core: Core;
  close(): Promise<void>;
}

export interface LiveOptions {
  host: 'desktop' | 'web';
  dataDir: string;
  /** Default: ask the pages (a `hostKey.prompt` event answered with `hostKeys.answer`). */
  hostKeyPrompt?: HostKeyPrompt | null;
  /** How long a page has to answer a host-key question before the key is rejected. */
  hostKeyTimeoutMs?: number;
  /** Default: ask the pages (a `secret.prompt` event answered with `secrets.answer`). */
  secretPrompt?: SecretPrompt | null;
  /** How long a page has to answer a password / passphrase question before it counts as declined. */
  secretTimeoutMs?: number;
  /** Where remembered secrets are kept (desktop: safeStorage); none: "remember" is unavailable. */
  secrets?: SecretStore | null;
  /** Start polling the configured clusters (default true). */
  poll?: boolean;
  /** Desktop notifications for alerts (default: `alerts.notice` events for the pages). */
  notifier?: Notifier | null;
  /** How often every cluster is checked for stale data, in ms (default 60 s). */
  staleCheckMs?: number;
}

export function startLive(options: LiveOptions): RunningCore {
  const store = openStore({ dataDir: options.dataDir });
  // The broker emits through the core, which exists only below: events go through this late binding.
  let emit: Core['emit'] = () => undefined;
  const hostKeys = new HostKeyBroker((event, payload) => emit(event, payload), options.hostKeyTimeoutMs === undefined ? {} : { timeoutMs: options.hostKeyTimeoutMs });
  const verifier = new HostVerifier({ pinned: new StoredPinnedKeys(new HostKeysRepo(store.db)), prompt: options.hostKeyPrompt === undefined ? hostKeys : options.hostKeyPrompt });
  const secretPrompts = new SecretBroker((event, payload) => emit(event, payload), {
    secrets: options.secrets ?? null,
    ...(options.secretTimeoutMs === undefined ? {} : { timeoutMs: options.secretTimeoutMs }),
  });
  const connectionOptions = { verifier, secretPrompt: options.secretPrompt === undefined ? secretPrompts : options.secretPrompt, secrets: options.secrets ?? null };
  const pool = new ConnectionPool(connectionOptions);
  const sync = new ClusterSync(store, pool);
  const polling = options.poll !== false;
  let poller: Poller | null = null;
  let closed = false;
  const startPoller = () => {
    const p = new Poller(sync, {
      cycle: (result) => {
        for (const s of result.snapshots) core.emit('snapshot', { cluster: s.cluster, snapshotId: s.id, finishedAt: s.finishedAt, kinds: s.kinds });
      },
      failure: (cluster, error) => core.emit('sync.failed', { cluster, message: error.message }),
    });
    p.start(new ClustersRepo(store.db).list().map((c) => c.config));
    return p;
  };
  // A changed cluster list re-plans polling. The old loops first finish their running cycle, so a
  // cluster's cycles still never overlap (two loops would double its slurmctld RPCs); restarts queue up.
  let restarting: Promise<void> = Promise.resolve();
  const live: LiveServices = {
    connectionOptions,
    hostKeys,
    secretPrompts,
    clustersChanged() {
      if (!polling) return;
      restarting = restarting.then(async () => {
        const old = poller;
        poller = null;
        await old?.stop();
        // A cycle still running when a cluster was removed may have opened its connection again.
        const configured = new Set(new ClustersRepo(store.db).list().map((c) => c.name));
        for (const s of pool.statuses()) if (!configured.has(s.cluster)) await pool.remove(s.cluster);
        if (!closed) poller = startPoller();
      });
    },
  };
  const core = createCore({ host: options.host, store, source: 'live', pool, sync, live, notifier: options.notifier ?? null, utilization: poolUtilization(store, pool, sync) });
  emit = core.emit;
  // Alerts: evaluate each cluster after every stored nodes/queue snapshot (poller or "sync now"), and check
  // every cluster for stale data on a timer (an offline cluster stores no snapshot to trigger anything).
  const reportAlertFailure = (cluster: string, err: unknown) => core.emit('sync.failed', { cluster, message: `alert evaluation failed: ${(err as Error).message}` });
  const offAlerts = core.on((event, payload) => {
    if (event !== 'snapshot') return;
    const p = payload as { cluster: string; kinds: string[] };
    if (!p.kinds.includes('nodes') && !p.kinds.includes('queue')) return;
    core.context.alerts.evaluate(p.cluster).catch((err: unknown) => reportAlertFailure(p.cluster, err));
  });
  const staleTimer = setInterval(() => {
    core.context.alerts.checkStale().catch((err: unknown) => reportAlertFailure('*', err));
  }, options.staleCheckMs ?? 60_000);
  staleTimer.unref();
  const offState = pool.onState((s) => core.emit('connection', { cluster: s.cluster, state: s.state, reason: s.reason, message: s.message, since: s.since, retryAt: s.retryAt }));
  if (polling) poller = startPoller();
  return {
    core,
    async close() {
      closed = true;
      clearInterval(staleTimer);
      offAlerts();
      hostKeys.close();
      secretPrompts.close();
      await restarting;
      await poller?.stop();
      offState();
      await core.context.alerts.drain();
      sync.closeSessions();
      await pool.closeAll();
      store.close();
    },
  };
}

/** Open a snapshot database read-only: the bundled example, or an exported file. */
export function openReadOnly(options: { host: 'desktop' | 'web'; file: string; source: 'example' | 'file' }): RunningCore {
  if (!existsSync(options.file)) throw new Error(`no snapshot at ${options.file}`);
  const { store } = openSnapshotStore(options.file);
  const core = createCore({ host: options.host, store, source: options.source });
  return { core, close: async () => store.close() };
}

/** Whether a data directory has any cluster configured (without creating one). */
export function hasClusters(dataDir: string): boolean {
  const file = `${dataDir}/clusterops.db`;
  if (!existsSync(file)) return false;
  let store: Store;
  try {
    store = openStore({ dataDir, readonly: true });
  } catch {
    // An older schema (or any other trouble) is for the live open to upgrade or report.
    return true;
  }
  try {
    return new ClustersRepo(store.db).list().length > 0;
  } finally {
    store.close();
  }
}
