// What every command gets: where the data lives, how to write output and progress, and a lazily opened
// store (commands that need no database never create one).
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../core/store/db';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal: progress lines may be redrawn in place. */
  interactive: boolean;
  /** Read one line from the terminal (for prompts); null when there is no terminal. */
  readLine: ((prompt: string, options?: { secret?: boolean }) => Promise<string | null>) | null;
}

export interface CliContext {
  dataDir: string;
  json: boolean;
  io: CliIo;
  env: NodeJS.ProcessEnv;
  store(): Store;
  /** A progress line on stderr (never on stdout, which may be piped into a file). */
  progress(message: string): void;
  close(): void;
}

/** --data-dir, else CLUSTEROPS_DATA_DIR, else the platform's per-user data folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv, platform = process.platform, home = os.homedir()): string {
  if (env.CLUSTEROPS_DATA_DIR) return path.resolve(env.CLUSTEROPS_DATA_DIR);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'ClusterOps Console');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'ClusterOps Console');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'clusterops');
}

export function createContext(options: { dataDir: string; json: boolean; io: CliIo; env: NodeJS.ProcessEnv }): CliContext {
  let store: Store | null = null;
  return {
    dataDir: options.dataDir,
    json: options.json,
    io: options.io,
    env: options.env,
    store() {
      store ??= openStore({ dataDir: options.dataDir });
      return store;
    },
    progress(message) {
      options.io.stderr(`${message}\n`);
    },
    close() {
      store?.close();
      store = null;
    },
  };
}
