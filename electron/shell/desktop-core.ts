// Which core the desktop app runs, chosen as the web host chooses (electron/host/web/main.ts): an exported
// snapshot file when one is named, live data when the data directory has clusters, otherwise the bundled
// example snapshot, read-only and labelled. Live data gets the desktop's ports: secrets on safeStorage,
// host-key questions in a native dialog, alert notices as desktop notifications.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { HostKeyPrompt, Notifier, SecretStore } from '../core/ports';
import { hasClusters, openReadOnly, startLive, type RunningCore } from '../core/runtime/live';
import { defaultDataDir } from '../host/cli/context';
import { EXAMPLE_SNAPSHOT } from '../host/paths';

export interface DesktopArgs {
  dataDir?: string;
  snapshot?: string;
}

/** `--data-dir DIR` / `--snapshot FILE` (or `--flag=value`) among the command-line arguments; others are Electron's. */
export function parseDesktopArgs(argv: readonly string[]): DesktopArgs {
  const value = (flag: string): string | undefined => {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === flag && i + 1 < argv.length) return argv[i + 1];
      if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    }
    return undefined;
  };
  const dataDir = value('--data-dir');
  const snapshot = value('--snapshot');
  return { ...(dataDir ? { dataDir } : {}), ...(snapshot ? { snapshot } : {}) };
}

/**
 * Files that native code (SQLite) opens must be real files: in a packaged app they are unpacked next to
 * app.asar (build/electron-builder.yml's asarUnpack), and this maps a path inside the archive to that copy.
 */
export function unpackedPath(file: string): string {
  return file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

export interface DesktopServices {
  secrets: SecretStore;
  hostKeyPrompt: HostKeyPrompt;
  notifier: Notifier;
}

export function chooseDesktopCore(args: DesktopArgs, services: DesktopServices, env: NodeJS.ProcessEnv = process.env): { running: RunningCore; note: string } {
  if (args.snapshot) {
    return { running: openReadOnly({ host: 'desktop', file: path.resolve(args.snapshot), source: 'file' }), note: `snapshot file ${args.snapshot} (read-only)` };
  }
  const dataDir = args.dataDir ? path.resolve(args.dataDir) : defaultDataDir(env);
  const example = unpackedPath(EXAMPLE_SNAPSHOT);
  if (hasClusters(dataDir) || !existsSync(example)) {
    const running = startLive({ host: 'desktop', dataDir, secrets: services.secrets, hostKeyPrompt: services.hostKeyPrompt, notifier: services.notifier });
    return { running, note: `data directory ${dataDir}` };
  }
  return {
    running: openReadOnly({ host: 'desktop', file: example, source: 'example' }),
    note: `example data (no cluster configured in ${dataDir})`,
  };
}
