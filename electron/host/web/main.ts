// Start the web host from the command line and print the URL to open.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createCore } from '../../core/core';
import { RENDERER_DIST } from '../paths';
import { startWebHost } from './server';

export async function runWebHost(args: { port?: number } = {}): Promise<void> {
  if (!existsSync(path.join(RENDERER_DIST, 'index.html'))) {
    throw new Error(`the renderer is not built (${RENDERER_DIST} is missing): run npm run build`);
  }
  const host = await startWebHost({ api: createCore({ host: 'web' }), rendererDir: RENDERER_DIST, port: args.port ?? 0 });
  console.log(`ClusterOps Console is running at\n\n  ${host.url}\n\nOpen that address in a browser (the token in it is your key). Ctrl+C stops the host.`);
  const stop = () => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
