// Bring a database to the schema the code expects, or refuse to touch it. Modelled on Signal Desktop's
// migrations: numbered (gaps allowed), each applied in its own transaction together with its bookkeeping
// row, user_version mirrors the latest applied version (so `sqlite3 file 'PRAGMA user_version'` tells a
// person which schema a file has), and a database newer than the code is refused, never "best-effort" read.
// Unlike Signal we also store each migration's SHA-256, so an edited released migration (which would leave
// old and new databases with different schemas under the same number) is caught on the next open.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { StoreError } from './errors';
import type { Migration } from './migrations/migration';

/** `PRAGMA application_id` of a ClusterOps store ("ClOp"), so a foreign SQLite file is recognised as such. */
export const APPLICATION_ID = 0x436c4f70;

export interface SchemaState {
  /** Latest applied version, 0 for an empty database. */
  version: number;
  /** Known migrations not yet applied, in order. */
  pending: Migration[];
}

export function checksum(m: Migration): string {
  return createHash('sha256').update(m.sql).digest('hex');
}

function validateList(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isSafeInteger(m.version) || m.version <= previous) {
      throw new StoreError('migration-unknown', `migration list out of order: ${m.version} (${m.name}) after ${previous}`);
    }
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(m.name)) throw new StoreError('migration-unknown', `bad migration name "${m.name}"`);
    previous = m.version;
  }
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/**
 * Compare the database with the code's migrations. Throws when the database cannot be used with this code:
 * written by a newer version, an applied migration edited or unknown, or not a ClusterOps database.
 */
export function inspectSchema(db: Database.Database, migrations: readonly Migration[]): SchemaState {
  validateList(migrations);
  const appId = db.pragma('application_id', { simple: true }) as number;
  const userVersion = db.pragma('user_version', { simple: true }) as number;
  const tracked = hasTable(db, 'schema_migrations');
  if (!tracked) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").get() as { n: number };
    if (appId === 0 && userVersion === 0 && tables.n === 0) return { version: 0, pending: [...migrations] };
    throw new StoreError('not-a-store', 'this file is not a ClusterOps database (it has tables but no schema_migrations)');
  }
  if (appId !== APPLICATION_ID) throw new StoreError('not-a-store', `this file is not a ClusterOps database (application_id ${appId})`);

  const applied = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as { version: number; name: string; checksum: string }[];
  const known = new Map(migrations.map((m) => [m.version, m]));
  const newest = migrations.length > 0 ? (migrations[migrations.length - 1] as Migration).version : 0;
  const latest = applied.length > 0 ? (applied[applied.length - 1] as { version: number }).version : 0;
  if (latest > newest) {
    throw new StoreError(
      'schema-newer',
      `the database has schema version ${latest}, written by a newer ClusterOps; this version knows up to ${newest}. ` +
        'Upgrade ClusterOps, or use another data directory.',
    );
  }
  for (const row of applied) {
    const m = known.get(row.version);
    if (!m) throw new StoreError('migration-unknown', `the database has migration ${row.version} (${row.name}) that this version does not know`);
    if (checksum(m) !== row.checksum) {
      throw new StoreError('migration-edited', `migration ${row.version} (${row.name}) differs from the one applied to this database; released migrations must not be edited`);
    }
  }
  if (userVersion !== latest) throw new StoreError('migration-unknown', `user_version ${userVersion} does not match the latest applied migration ${latest}`);
  const done = new Set(applied.map((r) => r.version));
  const pending = migrations.filter((m) => !done.has(m.version));
  // A migration numbered below one already applied was added out of order (e.g. two branches merged):
  // applying it late could assume a schema that later migrations already changed.
  const late = pending.find((m) => m.version < latest);
  if (late) throw new StoreError('migration-unknown', `migration ${late.version} (${late.name}) is missing from a database already at ${latest}`);
  return { version: latest, pending };
}

/** Apply every pending migration, each in one transaction. Returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[], now: () => number = () => Math.floor(Date.now() / 1000)): number[] {
  const state = inspectSchema(db, migrations);
  if (state.pending.length === 0) return [];
  if (!hasTable(db, 'schema_migrations')) {
    db.transaction(() => {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.exec(`CREATE TABLE schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        checksum TEXT NOT NULL,
        applied_at INTEGER NOT NULL
      ) STRICT`);
    })();
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const applied: number[] = [];
  for (const m of state.pending) {
    try {
      db.transaction(() => {
        db.exec(m.sql);
        record.run(m.version, m.name, checksum(m), now());
        db.pragma(`user_version = ${m.version}`);
      })();
    } catch (err) {
      throw new StoreError('migration-failed', `migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
    }
    applied.push(m.version);
  }
  return applied;
}
