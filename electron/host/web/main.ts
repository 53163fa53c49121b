// Start the web host from the command line and print the URL to open. Live data when the data directory
// has clusters; otherwise the bundled example snapshot, clearly labelled, so every view has something to
// show on a fresh machine.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { hasClusters, openReadOnly, startLive, type RunningCore } from '../../core/runtime/live';
import { defaultDataDir } from '../cli/context';
import { EXAMPLE_SNAPSHOT, RENDERER_DIST } from '../paths';
import { startWebHost } from './server';

export interface WebHostArgs {
  port?: number;
  dataDir?: string;
  /** Open this exported snapshot read-only instead of the data directory. */
  snapshot?: string;
}

export function chooseCore(args: WebHostArgs): { running: RunningCore; note: string } {
  if (args.snapshot) {
    return { running: openReadOnly({ host: 'web', file: path.resolve(args.snapshot), source: 'file' }), note: `snapshot file ${args.snapshot} (read-only)` };
  }
  const dataDir = args.dataDir ?? defaultDataDir(process.env);
  if (hasClusters(dataDir) || !existsSync(EXAMPLE_SNAPSHOT)) {
    return { running: startLive({ host: 'web', dataDir }), note: `data directory ${dataDir}` };
  }
  return {
    running: openReadOnly({ host: 'web', file: EXAMPLE_SNAPSHOT, source: 'example' }),
    note: `EXAMPLE DATA recorded from the project's test clusters (no cluster configured in ${dataDir}; add one with 'clusterops clusters add')`,
  };
}

export async function runWebHost(args: WebHostArgs = {}): Promise<void> {
  if (!existsSync(path.join(RENDERER_DIST, 'index.html'))) {
    throw new Error(`the renderer is not built (${RENDERER_DIST} is missing): run npm run build`);
  }
  const { running, note } = chooseCore(args);
  const host = await startWebHost({
    api: running.core.api,
    subscribe: (l) => running.core.on(l),
    rendererDir: RENDERER_DIST,
    port: args.port ?? 0,
  });
  console.log(`ClusterOps Console is running at\n\n  ${host.url}\n\nShowing ${note}.\nOpen that address in a browser (the token in it is your key). Ctrl+C stops the host.`);
  const stop = () => {
    void host
      .close()
      .then(() => running.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
