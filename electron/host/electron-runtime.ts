// Can this machine run Electron? electron@45 fetches its binary lazily on first launch; where that download
// is impossible (no internet, as on our build machines and CI) `npm start` falls back to the web host.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronRuntime = { available: true; binary: string } | { available: false; reason: string };

export function findElectron(options: { tryDownload: boolean; downloadTimeoutMs?: number }): ElectronRuntime {
  if (process.env.ELECTRON_PATH) {
    return existsSync(process.env.ELECTRON_PATH)
      ? { available: true, binary: process.env.ELECTRON_PATH }
      : { available: false, reason: `ELECTRON_PATH=${process.env.ELECTRON_PATH} does not exist` };
  }
  let pkgDir: string;
  try {
    pkgDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { available: false, reason: 'the electron package is not installed (run npm ci)' };
  }
  const binary = () => {
    const pathFile = path.join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const full = path.join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(full) ? full : null;
  };
  const found = binary();
  if (found) return { available: true, binary: found };
  if (!options.tryDownload) return { available: false, reason: 'the Electron binary has not been downloaded' };
  const result = spawnSync(process.execPath, [path.join(pkgDir, 'install.js')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.downloadTimeoutMs ?? 180_000,
    encoding: 'utf8',
  });
  const after = binary();
  if (after) return { available: true, binary: after };
  // The installer prints a stack trace; its first error line says what went wrong ("fetch failed", …).
  const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`;
  const why = result.error?.message ?? output.split('\n').find((l) => /error/i.test(l) && !/^\s+at /.test(l))?.trim();
  return { available: false, reason: `the Electron binary could not be downloaded${why ? ` (${why})` : ''}` };
}
