// Settings as JSON values by key. Callers validate what they read (a settings row may come from an older
// version of the app); this module only stores and returns JSON.
import type Database from 'better-sqlite3';
import { prepared } from './prepared';

export class SettingsRepo {
  constructor(private readonly db: Database.Database) {}

  get(key: string): unknown {
    const r = prepared(this.db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return r === undefined ? undefined : JSON.parse(r.value);
  }

  set(key: string, value: unknown, now: number): void {
    prepared(this.db, 'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
      .run(key, JSON.stringify(value), now);
  }

  delete(key: string): void {
    prepared(this.db, 'DELETE FROM settings WHERE key = ?').run(key);
  }
}
