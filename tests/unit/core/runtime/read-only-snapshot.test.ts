// Snapshot files open read-only whatever schema they were written with: a current one directly, an older
// one (the shipped example after a new migration, a file exported by an older version) through a migrated
// private copy, never by writing the original.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSnapshotStore } from '../../../../electron/core/runtime/read-only-snapshot';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import { openStore } from '../../../../electron/core/store/db';
import { MIGRATIONS } from '../../../../electron/core/store/migrations';
import { clusterConfig } from '../store/builders';
import { useTempDirs } from '../store/temp-dir';

const tempDir = useTempDirs();

function storeFile(migrations = MIGRATIONS): string {
  const dir = tempDir();
  const store = openStore({ dataDir: dir, migrations });
  new ClustersRepo(store.db).save(clusterConfig('alpha'), 1_700_000_000);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  return path.join(dir, 'clusterops.db');
}

describe('openSnapshotStore', () => {
  it('opens a file of the current schema read-only in place', () => {
    const { store, upgradedCopy } = openSnapshotStore(storeFile());
    expect(upgradedCopy).toBe(false);
    expect(store.readonly).toBe(true);
    expect(new ClustersRepo(store.db).list().map((c) => c.name)).toEqual(['alpha']);
    expect(() => store.db.prepare('DELETE FROM clusters').run()).toThrow();
    store.close();
  });

  it('reads a file of an older schema through a migrated copy, leaving the original untouched', () => {
    const older = MIGRATIONS.slice(0, -1);
    const file = storeFile(older);
    const before = readFileSync(file);
    const { store, upgradedCopy } = openSnapshotStore(file);
    expect(upgradedCopy).toBe(true);
    expect(store.path).toBe(file);
    expect(store.schemaVersion).toBe(openStore({ dataDir: tempDir() }).schemaVersion);
    expect(new ClustersRepo(store.db).list().map((c) => c.name)).toEqual(['alpha']);
    const copy = store.db.name;
    expect(copy).not.toBe(file);
    store.close();
    expect(existsSync(copy)).toBe(false);
    expect(readFileSync(file).equals(before)).toBe(true);
    // The original still opens with its own (older) schema: it was not migrated.
    openStore({ dataDir: path.dirname(file), readonly: true, migrations: older }).close();
  });

  it('refuses a file that is not a store', () => {
    const file = path.join(tempDir(), 'x.db');
    writeFileSync(file, 'not sqlite at all, just text that is long enough to have a header '.repeat(20));
    expect(() => openSnapshotStore(file)).toThrow(expect.objectContaining({ code: 'not-a-store' }));
  });
});
