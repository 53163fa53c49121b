// Prepared statements kept per database connection. A snapshot write runs the same few dozen statements
// every cycle; preparing them again each time cost ~1.2 ms of a ~15 ms refresh (measured with
// --cpu-prof on the test bed). A statement comes back with pluck / raw / expand switched off, whatever the
// previous caller set, so callers see a fresh statement. Not for statements a caller iterates while
// running the same SQL again (an iterating statement is busy).
import type Database from 'better-sqlite3';

const LIMIT = 500;
const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function prepared(db: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    // SQL built with a varying number of placeholders could grow the cache without bound.
    if (cache.size >= LIMIT) cache.clear();
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  } else if (stmt.reader) {
    stmt.pluck(false).raw(false).expand(false);
  }
  return stmt;
}
