// Open the store: one SQLite file in the data directory the host chose (the CLI's --data-dir or
// CLUSTEROPS_DATA_DIR, the desktop app's user-data folder). Read-write opens migrate it; read-only opens
// (an exported snapshot, a backup) check that its schema is exactly the code's and never write.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors';
import { inspectSchema, migrate } from './migrate';
import { MIGRATIONS } from './migrations/index';
import type { Migration } from './migrations/migration';

export const DB_FILE = 'clusterops.db';
export const BUSY_TIMEOUT_MS = 15_000;

/**
 * 8 KiB pages: a node-sample row (~2.3 KB) fits three to a page instead of one per 4 KiB page, which is
 * what keeps 30 days × 1,000 nodes well under the 200 MB budget. Only applies to a new file.
 */
const PAGE_SIZE = 8192;

export interface OpenOptions {
  /** Directory holding the database; created (0700) if missing, for read-write opens. */
  dataDir: string;
  /** File name inside dataDir (default clusterops.db), or an absolute path to open instead. */
  file?: string;
  readonly?: boolean;
  /**
   * How long a writer waits for another connection's write to finish before SQLITE_BUSY (default 15 s:
   * longer than a bulk ingest holds the write lock per transaction, see sacct-ingest.ts). Readers never
   * wait in WAL mode.
   */
  busyTimeoutMs?: number;
  /** Tests pass their own list; everything else uses the code's migrations. */
  migrations?: readonly Migration[];
}

export interface Store {
  readonly db: Database.Database;
  readonly path: string;
  readonly readonly: boolean;
  /** Schema version (latest applied migration). */
  readonly schemaVersion: number;
  close(): void;
}

export function openStore(opts: OpenOptions): Store {
  const migrations = opts.migrations ?? MIGRATIONS;
  const file = path.resolve(opts.dataDir, opts.file ?? DB_FILE);
  const readonly = opts.readonly ?? false;
  if (readonly && !existsSync(file)) throw new StoreError('not-found', `no database at ${file}`);
  if (!readonly) mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const isNew = !readonly && !existsSync(file);

  let db: Database.Database;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly });
  } catch (err) {
    throw new StoreError('not-a-store', `cannot open ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS))}`);
    // Reading the header fails here on a file that is not SQLite at all ("file is not a database").
    db.pragma('schema_version', { simple: true });
    if (isNew) {
      // Both only take effect before the first table is created.
      db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('auto_vacuum = INCREMENTAL');
      chmodSync(file, 0o600);
    }
    if (!readonly) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new StoreError('not-a-store', `cannot switch ${file} to WAL (journal_mode is ${String(mode)})`);
      // NORMAL in WAL mode: a power cut may lose the last commits but never corrupts the database.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    let schemaVersion: number;
    if (readonly) {
      const state = inspectSchema(db, migrations);
      if (state.pending.length > 0) {
        throw new StoreError('schema-older', `${file} has schema version ${state.version}, older than this version's; open a copy read-write to upgrade it`);
      }
      schemaVersion = state.version;
      db.pragma('query_only = ON');
    } else {
      migrate(db, migrations);
      schemaVersion = inspectSchema(db, migrations).version;
      // Recommended for long-lived connections: analyses tables that need it, cheaply.
      db.pragma('optimize = 0x10002');
    }
    return {
      db,
      path: file,
      readonly,
      schemaVersion,
      close() {
        if (!db.open) return;
        if (!readonly) db.pragma('optimize');
        db.close();
      },
    };
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError('not-a-store', `cannot use ${file}: ${(err as Error).message}`, { cause: err });
  }
}
