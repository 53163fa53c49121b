// Messages between the sacct ingest (main thread: stores) and its parse worker. Rows cross as RunBatch
// (typed arrays + a string dictionary, see run-batch.ts).
import type { RunBatch } from './run-batch';

export interface IngestWorkerData {
  clusterId: number;
  timeZone: string;
  delimiter: string;
  /** Rows per message. */
  batchRows: number;
  /** Read this file; without it, text arrives as `chunk` messages. */
  file: string | null;
}

export interface RowError {
  /** 1-based line of the input, when known. */
  line: number | null;
  message: string;
}

export type ToWorker =
  /** The main thread stored a batch: the worker may send one more. */
  | { type: 'credit' }
  /** Raw bytes of the input (transferred, not copied). */
  | { type: 'chunk'; bytes: Uint8Array }
  | { type: 'end' };

export type FromWorker =
  | { type: 'rows'; batch: RunBatch }
  /** A chunk was parsed: the main thread may send the next (backpressure for streamed input). */
  | { type: 'chunk-done' }
  | {
      type: 'done';
      rows: number;
      skippedSteps: number;
      /** The first errors (at most MAX_REPORTED_ERRORS) and how many there were. */
      errors: RowError[];
      errorCount: number;
      ignoredColumns: string[];
      maxSeen: number | null;
    }
  /** The input cannot be read at all (no or bad header, I/O error): nothing more will come. */
  | { type: 'fatal'; message: string };

export const MAX_REPORTED_ERRORS = 100;
