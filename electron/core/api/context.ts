// What every area of the core API reads from: the store (live data directory, the bundled example, or an
// exported snapshot file opened read-only), the clock, and — for live data only — the connections.
import type { ConnectionInfo } from '../../../shared/api/methods/common';
import type { EventListener } from '../../../shared/api/events';
import type { AlertEngine } from '../alerts/engine';
import type { Clock } from '../ports';
import type { ClusterSync } from '../runtime/cluster-sync';
import type { LiveServices } from '../runtime/live-services';
import type { ConnectionPool } from '../ssh/pool';
import type { Store } from '../store/db';

export interface CoreContext {
  host: 'desktop' | 'web';
  store: Store;
  source: 'live' | 'example' | 'file';
  clock: Clock;
  /** Live data only: the connection pool and the syncer. */
  pool: ConnectionPool | null;
  sync: ClusterSync | null;
  /** Live data only: throwaway connections, the host-key broker, re-planning polls. */
  live: LiveServices | null;
  emit: EventListener;
  /** Alert evaluation and the user's acknowledge / snooze. */
  alerts: AlertEngine;
}

export function nowSeconds(ctx: Pick<CoreContext, 'clock'>): number {
  return Math.floor(ctx.clock.now() / 1000);
}

/** The connection state of a cluster, when this core keeps connections. */
export function connectionOf(ctx: CoreContext, cluster: string): ConnectionInfo | null {
  const c = ctx.pool?.find(cluster);
  if (!c) return null;
  const s = c.status();
  return { state: s.state, reason: s.reason, message: s.message, since: s.since, retryAt: s.retryAt };
}
