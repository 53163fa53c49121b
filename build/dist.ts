// `npm run dist [-- electron-builder options]`: build the renderer and the shell (minified), then package
// the desktop app with electron-builder (build/electron-builder.yml) for this machine's platform, into
// release/. Needs internet (Electron's binaries, native module headers); cannot run on our build machines.
// electron-builder rebuilds better-sqlite3 and cpu-features for Electron inside node_modules, so Node's
// builds are put back afterwards — otherwise the CLI, the web host and the tests could not load them.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildShell } from './shell.build';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

async function main(): Promise<void> {
  run('npm', ['run', '--silent', 'build:renderer']);
  await buildShell({ minify: true });
  try {
    const cli = require.resolve('electron-builder/cli.js');
    run(process.execPath, [cli, '--config', 'build/electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)]);
  } finally {
    run('npm', ['rebuild', 'better-sqlite3', 'cpu-features']);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
