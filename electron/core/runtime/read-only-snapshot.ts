// Open a snapshot database read-only: the bundled example or a file exported by some version of the app.
// A file from an older schema cannot be migrated in place (it is read-only, and may be shipped inside the
// app), so it is copied with VACUUM INTO to a private temporary file, that copy is migrated, and the copy
// is what the core reads. The original is never written. The store still names the original file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore, type Store } from '../store/db';
import { StoreError } from '../store/errors';
import type { Migration } from '../store/migrations/migration';

export interface SnapshotStore {
  store: Store;
  /** Whether an upgraded private copy is being read (the file is from an older schema). */
  upgradedCopy: boolean;
}

export function openSnapshotStore(file: string, options: { migrations?: readonly Migration[] } = {}): SnapshotStore {
  const migrations = options.migrations ? { migrations: options.migrations } : {};
  try {
    return { store: openStore({ dataDir: path.dirname(file), file, readonly: true, ...migrations }), upgradedCopy: false };
  } catch (err) {
    if (!(err instanceof StoreError && err.code === 'schema-older')) throw err;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'clusterops-snapshot-'));
  try {
    const copy = path.join(dir, 'snapshot.db');
    const source = new Database(file, { readonly: true, fileMustExist: true });
    try {
      // A consistent copy even of a WAL-mode file that another process is writing.
      source.prepare('VACUUM INTO ?').run(copy);
    } finally {
      source.close();
    }
    openStore({ dataDir: dir, file: copy, ...migrations }).close(); // migrates the copy
    const inner = openStore({ dataDir: dir, file: copy, readonly: true, ...migrations });
    const store: Store = {
      db: inner.db,
      path: file,
      readonly: true,
      schemaVersion: inner.schemaVersion,
      close() {
        inner.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return { store, upgradedCopy: true };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
