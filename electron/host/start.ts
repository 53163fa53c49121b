// `npm start`: the desktop app where an Electron runtime can be had, otherwise the web host.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { findElectron } from './electron-runtime';
import { APP_ROOT } from './paths';
import { runWebHost } from './web/main';

const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : undefined;
const webOnly = args.includes('--web') || process.env.CLUSTEROPS_WEB === '1';
const valueOf = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const shellMain = path.join(APP_ROOT, 'dist', 'shell', 'main.js');

async function main(): Promise<void> {
  if (!webOnly) {
    const runtime = findElectron({ tryDownload: !process.env.CI });
    if (runtime.available && existsSync(shellMain)) {
      const child = spawn(runtime.binary, [shellMain], { stdio: 'inherit' });
      child.on('exit', (code) => process.exit(code ?? 0));
      return;
    }
    const reason = runtime.available ? `the desktop shell is not built (${shellMain})` : runtime.reason;
    console.log(`No Electron runtime here: ${reason}. Starting the web host instead.\n`);
  }
  const dataDir = valueOf('--data-dir');
  const snapshot = valueOf('--snapshot');
  await runWebHost({
    ...(port !== undefined && Number.isInteger(port) ? { port } : {}),
    ...(dataDir ? { dataDir } : {}),
    ...(snapshot ? { snapshot } : {}),
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
