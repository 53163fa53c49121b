import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../../electron/core/store/db';
import { StoreError } from '../../../../electron/core/store/errors';
import { MIGRATIONS } from '../../../../electron/core/store/migrations/index';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return (err as StoreError).code;
  }
  throw new Error('expected a StoreError');
}

describe('openStore', () => {
  it('creates the data directory and a WAL database with the expected pragmas', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const store = openStore({ dataDir: dir });
    const { db } = store;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(15_000);
    expect(db.pragma('page_size', { simple: true })).toBe(8192);
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2); // INCREMENTAL
    expect(store.schemaVersion).toBe(MIGRATIONS[MIGRATIONS.length - 1]?.version);
    expect(db.pragma('user_version', { simple: true })).toBe(store.schemaVersion);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    store.close();
  });

  it('makes every table STRICT', () => {
    const store = openStore({ dataDir: tempDir() });
    const tables = store.db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'").all() as { name: string; strict: number }[];
    expect(tables.length).toBeGreaterThan(15);
    expect(tables.filter((t) => t.strict !== 1).map((t) => t.name)).toEqual([]);
    store.close();
  });

  it('reopens an existing database without re-running migrations', () => {
    const dir = tempDir();
    openStore({ dataDir: dir }).close();
    const again = openStore({ dataDir: dir });
    const rows = again.db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number };
    expect(rows.n).toBe(MIGRATIONS.length);
    again.close();
  });

  it('opens read-only: reads work, writes are refused', () => {
    const dir = tempDir();
    const rw = openStore({ dataDir: dir });
    rw.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('x', '1', 0)").run();
    rw.close();
    const ro = openStore({ dataDir: dir, readonly: true });
    expect(ro.readonly).toBe(true);
    expect(ro.db.prepare("SELECT value FROM settings WHERE key = 'x'").get()).toEqual({ value: '1' });
    expect(() => ro.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('y', '1', 0)").run()).toThrow(/readonly|read-only/i);
    ro.close();
  });

  it('refuses a read-only open of a missing file', () => {
    expect(codeOf(() => openStore({ dataDir: tempDir(), readonly: true }))).toBe('not-found');
  });

  it('refuses a file that is not SQLite, and a SQLite file of another application', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'junk.db'), 'this is not a database, just text long enough to have a header '.repeat(20));
    expect(codeOf(() => openStore({ dataDir: dir, file: 'junk.db' }))).toBe('not-a-store');
    const other = new Database(path.join(dir, 'other.db'));
    other.exec('CREATE TABLE t (x)');
    other.close();
    expect(codeOf(() => openStore({ dataDir: dir, file: 'other.db' }))).toBe('not-a-store');
  });
});

describe('migrations', () => {
  const m = (version: number, name: string, sql: string) => ({ version, name, sql });
  const base = [m(1, 'one', 'CREATE TABLE a (x INTEGER) STRICT'), m(5, 'five', 'CREATE TABLE b (y TEXT) STRICT')];

  it('applies numbered migrations with gaps, recording version and checksum', () => {
    const store = openStore({ dataDir: tempDir(), migrations: base });
    expect(store.schemaVersion).toBe(5);
    const rows = store.db.prepare('SELECT version, name, length(checksum) AS len FROM schema_migrations').all();
    expect(rows).toEqual([
      { version: 1, name: 'one', len: 64 },
      { version: 5, name: 'five', len: 64 },
    ]);
    store.close();
  });

  it('refuses a database newer than the code, naming both versions', () => {
    const dir = tempDir();
    openStore({ dataDir: dir, migrations: [...base, m(9, 'nine', 'CREATE TABLE c (z ANY) STRICT')] }).close();
    let err: StoreError | undefined;
    try {
      openStore({ dataDir: dir, migrations: base });
    } catch (e) {
      err = e as StoreError;
    }
    expect(err?.code).toBe('schema-newer');
    expect(err?.message).toMatch(/version 9.*up to 5/);
    // read-only is refused too
    expect(codeOf(() => openStore({ dataDir: dir, migrations: base, readonly: true }))).toBe('schema-newer');
  });

  it('detects an edited migration that was already applied', () => {
    const dir = tempDir();
    openStore({ dataDir: dir, migrations: base }).close();
    const edited = [base[0] as (typeof base)[0], m(5, 'five', 'CREATE TABLE b (y TEXT, extra INTEGER) STRICT')];
    expect(codeOf(() => openStore({ dataDir: dir, migrations: edited }))).toBe('migration-edited');
  });

  it('applies a new migration on the next open, and refuses one inserted below the applied version', () => {
    const dir = tempDir();
    openStore({ dataDir: dir, migrations: base }).close();
    const next = openStore({ dataDir: dir, migrations: [...base, m(7, 'seven', 'CREATE TABLE c (z INTEGER) STRICT')] });
    expect(next.schemaVersion).toBe(7);
    next.close();
    const inserted = [base[0] as (typeof base)[0], m(3, 'three', 'CREATE TABLE d (w INTEGER) STRICT'), base[1] as (typeof base)[0], m(7, 'seven', 'CREATE TABLE c (z INTEGER) STRICT')];
    expect(codeOf(() => openStore({ dataDir: dir, migrations: inserted }))).toBe('migration-unknown');
  });

  it('rolls a failing migration back completely and records nothing of it', () => {
    const dir = tempDir();
    const failing = [...base, m(6, 'bad', 'CREATE TABLE ok_part (x INTEGER) STRICT; CREATE TABLE a (dup INTEGER) STRICT')];
    expect(codeOf(() => openStore({ dataDir: dir, migrations: failing }))).toBe('migration-failed');
    const store = openStore({ dataDir: dir, migrations: base });
    expect(store.schemaVersion).toBe(5);
    expect(store.db.prepare("SELECT name FROM sqlite_schema WHERE name = 'ok_part'").get()).toBeUndefined();
    store.close();
  });

  it('refuses a read-only open of an older schema instead of migrating it', () => {
    const dir = tempDir();
    openStore({ dataDir: dir, migrations: base }).close();
    expect(codeOf(() => openStore({ dataDir: dir, readonly: true, migrations: [...base, m(6, 'six', 'CREATE TABLE e (x INTEGER) STRICT')] }))).toBe('schema-older');
  });

  it('rejects a migration list out of order', () => {
    expect(codeOf(() => openStore({ dataDir: tempDir(), migrations: [base[1] as (typeof base)[0], base[0] as (typeof base)[0]] }))).toBe('migration-unknown');
  });
});
