// The core services a CLI command that talks to clusters needs: the store, one connection pool (so each
// cluster gets one SSH connection), and the syncer. Closed together.
import { AlertEngine } from '../../core/alerts/engine';
import { poolUtilization } from '../../core/alerts/utilization/pool-utilization';
import { ClusterSync } from '../../core/runtime/cluster-sync';
import { StoredPinnedKeys } from '../../core/runtime/stored-pinned-keys';
import { HostVerifier } from '../../core/ssh/host-verifier';
import { ConnectionPool } from '../../core/ssh/pool';
import { HostKeysRepo } from '../../core/store/host-keys-repo';
import type { CliContext } from './context';
import { cliHostKeyPrompt, cliSecretPrompt } from './ssh-ports';

export interface CliServices {
  pool: ConnectionPool;
  sync: ClusterSync;
  /** Alert evaluation after a sync (the CLI has no notifier: events are printed or in the JSON). */
  alerts: AlertEngine;
  close(): Promise<void>;
}

export function cliServices(ctx: CliContext, options: { acceptHostKeys?: readonly string[] } = {}): CliServices {
  const store = ctx.store();
  const verifier = new HostVerifier({
    pinned: new StoredPinnedKeys(new HostKeysRepo(store.db)),
    prompt: cliHostKeyPrompt(ctx.io, options.acceptHostKeys ?? []),
  });
  // Commands are short-lived: no automatic reconnects in the background, a failure is reported.
  const pool = new ConnectionPool({ verifier, secretPrompt: cliSecretPrompt(ctx.io), autoReconnect: false });
  const sync = new ClusterSync(store, pool);
  return {
    pool,
    sync,
    alerts: new AlertEngine(store, {
      utilization: poolUtilization(store, pool, sync, { minIntervalS: 0 }),
      connection: (cluster) => {
        const s = pool.find(cluster)?.status();
        return s ? { state: s.state, message: s.message } : null;
      },
    }),
    close: () => {
      sync.closeSessions();
      return pool.closeAll(2_000);
    },
  };
}
