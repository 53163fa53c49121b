// A console fed by the live test-bed clusters: a fresh data directory with both clusters added as a plain
// user, one full sync, and the web host serving the built renderer over that core.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLive, type RunningCore } from '../../electron/core/runtime/live';
import { ClustersRepo } from '../../electron/core/store/clusters-repo';
import { startWebHost, type WebHost } from '../../electron/host/web/server';
import { SNAPSHOT_KINDS } from '../../electron/core/store/snapshots-repo';
import { KNOWN_HOSTS, testbedCluster } from '../integration/ssh-helpers';
import { CLUSTERS } from '../integration/testbed';

export const RENDERER_DIR = path.resolve(import.meta.dirname, '../../dist/renderer');

export interface LiveConsole {
  host: WebHost;
  running: RunningCore;
  dataDir: string;
  close(): Promise<void>;
}

export async function startLiveConsole(options: { user?: string } = {}): Promise<LiveConsole> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clusterops-e2e-'));
  // Configure the clusters first (as a user would), then start the live core on that directory.
  const running0 = startLive({ host: 'web', dataDir, poll: false });
  const repo = new ClustersRepo(running0.core.context.store.db);
  for (const name of CLUSTERS) repo.save(testbedCluster(name, options.user ?? 'opsuser', { knownHostsFiles: [KNOWN_HOSTS] }), Math.floor(Date.now() / 1000));
  const sync = running0.core.context.sync;
  if (!sync) throw new Error('live core without a syncer');
  for (const name of CLUSTERS) {
    const r = await sync.sync(name, { kinds: SNAPSHOT_KINDS, initialAccountingDays: 1 });
    if (r.errors.length) throw new Error(`sync ${name}: ${JSON.stringify(r.errors)}`);
  }
  const host = await startWebHost({ api: running0.core.api, subscribe: (l) => running0.core.on(l), rendererDir: RENDERER_DIR });
  return {
    host,
    running: running0,
    dataDir,
    async close() {
      await host.close();
      await running0.close();
    },
  };
}
