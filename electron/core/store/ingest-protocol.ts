// Messages between the sacct ingest (main thread: stores) and its parse workers. The main thread deals
// the input to the workers in chunks: byte ranges of a file, which each worker reads itself, or
// line-aligned pieces of a stream, cut by the main thread (sacct-chunker.ts). Each worker answers a chunk
// with its rows as RunBatches (typed arrays + a string dictionary, see run-batch.ts) and a `chunk-done`
// report, and the main thread stores chunks strictly in input order.
import type { RunBatch } from './run-batch';

export interface IngestWorkerData {
  clusterId: number;
  timeZone: string;
  delimiter: string;
  /** Rows per RunBatch. */
  batchRows: number;
}

export interface RowError {
  /** 1-based line of the input, when known (from a worker: of its chunk, until the storing thread renumbers it). */
  line: number | null;
  message: string;
}

export type ToWorker =
  /** The input's header line, sent once before any chunk (every chunk is parsed under it). */
  | { type: 'header'; text: string }
  /** Whole lines of the input (bytes transferred, not copied). */
  | { type: 'chunk'; seq: number; bytes: Uint8Array }
  /** The lines of a file that start in bytes [start, end) (see readLinesStartingIn). */
  | { type: 'range'; seq: number; file: string; start: number; end: number };

export type FromWorker =
  | { type: 'rows'; seq: number; batch: RunBatch }
  | {
      type: 'chunk-done';
      seq: number;
      /** Lines in the chunk (to number the next chunk's), data lines read, job steps skipped. */
      lines: number;
      rows: number;
      skippedSteps: number;
      /** The first errors (at most MAX_REPORTED_ERRORS), lines numbered within the chunk from 1, and how many there were. */
      errors: RowError[];
      errorCount: number;
      maxSeen: number | null;
    }
  /** Something no row-level report covers (a bug, a header the parser refuses): the ingest fails. */
  | { type: 'fatal'; message: string };

export const MAX_REPORTED_ERRORS = 100;
