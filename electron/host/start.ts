// `npm start`: the desktop app where an Electron runtime can be had, otherwise the web host.
import { spawn, spawnSync } from 'node:child_process';
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

/** Bundle electron/shell into dist/shell (build/shell.build.ts) in a child process; false if that failed. */
function buildShell(): boolean {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(APP_ROOT, 'build', 'shell.build.ts')], { cwd: APP_ROOT, stdio: 'inherit' });
  return result.status === 0;
}

async function main(): Promise<void> {
  if (!webOnly) {
    const runtime = findElectron({ tryDownload: !process.env.CI });
    // The shell is bundled afresh each time (esbuild, about a second), so it never runs stale code.
    const built = runtime.available && buildShell();
    if (runtime.available && built && existsSync(shellMain)) {
      // Our own arguments (--data-dir, --snapshot) go on to the shell. ELECTRON_RUN_AS_NODE left in the
      // environment would start a bare Node instead of the app.
      const env = { ...process.env };
      delete env.ELECTRON_RUN_AS_NODE;
      const child = spawn(runtime.binary, [shellMain, ...args], { stdio: 'inherit', env });
      child.on('exit', (code) => process.exit(code ?? 0));
      return;
    }
    console.log(
      runtime.available
        ? `The desktop shell could not be built into ${path.dirname(shellMain)} (see above). Starting the web host instead.\n`
        : `No Electron runtime here: ${runtime.reason}. Starting the web host instead.\n`,
    );
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
