// The one error type the store throws. `code` says what went wrong in a way callers can branch on (the CLI
// maps `schema-newer` to "upgrade the app", the poller retries `busy`); the message says it to a person.

export type StoreErrorCode =
  /** The file is not a ClusterOps database (another SQLite file, or not SQLite at all). */
  | 'not-a-store'
  /** The database was written by a newer version of the code: refuse rather than misread it. */
  | 'schema-newer'
  /** A read-only open of a database whose schema is older than the code (it cannot be migrated read-only). */
  | 'schema-older'
  /** An applied migration's text differs from the one in the code: someone edited a released migration. */
  | 'migration-edited'
  /** The database records a migration this code does not know, or one is missing between applied ones. */
  | 'migration-unknown'
  /** A migration failed; nothing of it was applied. */
  | 'migration-failed'
  /** A value cannot be stored as given (wrong type, out of range, duplicate key within one collection). */
  | 'bad-value'
  /** A cluster, snapshot or row that was asked for does not exist. */
  | 'not-found'
  /** Writing to a store opened read-only. */
  | 'read-only'
  /** Input to an ingest could not be read or parsed. */
  | 'ingest-failed';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
