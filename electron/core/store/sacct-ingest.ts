// Ingest `sacct -a -D -X -P` output of any size, for a live sync or an offline file (`clusterops import
// --kind sacct FILE`): one path for both. Parse workers take the input in chunks, in turn: a file as byte
// ranges each worker reads itself, a stream as line-aligned pieces this thread cuts (sacct-chunker.ts).
// They send rows back as typed batches with their usage already summed (run-batch.ts, batch-usage.ts),
// and this thread does little but store them, in input order, through a positional prepared statement.
// Parsing and storing overlap, and with more cores more workers parse at once. Storing is the slower
// side, so each worker may run up to CHUNKS_IN_FLIGHT chunks ahead of it, and gets its next chunk the
// moment one is stored (when this thread also read a file, its reads only advanced between the chunks it
// stored, and the worker waited for input: ~1.5 s of 14 s on 1M rows, measured).
//
// Transactions: the ingest uses its own connection to the database file and commits every `txRows` rows
// (500k) or `txMillis` ms (5 s), whichever comes first, so it never holds the write lock long enough to
// block the poller's snapshot writes (on their connection) past busy_timeout (15 s). Every commit holds
// whole rows with their usage_daily deltas, so the rollup always matches the runs. Runs are upserts: an
// ingest that dies half-way leaves some runs stored and no snapshot; running it again completes it without
// double counting. The snapshot (and the accounting window, when given) is written in the last
// transaction, with the last rows: it exists only if the whole input was read.
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { SnapshotInfo } from '../../../shared/model/snapshot';
import { SacctStreamParser } from '../../../shared/slurm/parse/sacct';
import { LocalDays } from '../../../shared/usage/local-days';
import { startWorker } from '../worker-thread';
import { ClustersRepo } from './clusters-repo';
import { BUSY_TIMEOUT_MS, type Store } from './db';
import { StoreError } from './errors';
import { MAX_REPORTED_ERRORS, type FromWorker, type IngestWorkerData, type RowError, type ToWorker } from './ingest-protocol';
import { RunBatchDecoder, type RunBatch } from './run-batch';
import { RunsRepo, type UpsertCounts } from './runs-repo';
import { readSacctFileStart, sacctChunks, type Chunk, type SacctFileStart } from './sacct-chunker';
import { recordWindow } from './snapshot-writer';
import { SnapshotsRepo } from './snapshots-repo';
import { UsageRollup } from './usage-rollup';

export interface SacctIngestOptions {
  cluster: string;
  /** A file path, or a stream / async iterable of text (e.g. an SSH channel's stdout). */
  input: { file: string } | { stream: Readable | AsyncIterable<string | Uint8Array> };
  /** The window sacct was asked for; recorded (and so advancing the accounting watermark) only when given. */
  window?: { since: number | null; until: number };
  source?: 'poll' | 'import';
  /** Zone of the times in the input; default: the cluster's probed zone (UTC before any probe). */
  timeZone?: string;
  delimiter?: string;
  /** Parse workers; default: one per core beyond the first, at least one, at most four. */
  workers?: number;
  /** Commit after this many rows or this many ms of holding the write lock. */
  txRows?: number;
  txMillis?: number;
  batchRows?: number;
  /** Bytes per chunk handed to a worker. */
  chunkBytes?: number;
  onProgress?: (rowsStored: number) => void;
  /** Epoch seconds stamped on the snapshot (default: now). */
  now?: () => number;
  /** The parse worker module (a bundled build passes its own). */
  workerUrl?: URL;
}

export interface SacctIngestResult {
  snapshot: SnapshotInfo;
  /** Data rows read (header excluded), runs stored by outcome, steps skipped. */
  rows: number;
  counts: UpsertCounts;
  skippedSteps: number;
  errors: RowError[];
  errorCount: number;
  ignoredColumns: string[];
  seconds: number;
  /** Share of the wall time the storing thread and (on average) the parse workers were busy. */
  utilization: { store: number; parse: number };
}

const DEFAULT_WORKER = new URL('./sacct-ingest-worker.ts', import.meta.url);
/** Chunks a worker may hold before they are stored: keeps each busy and bounds what waits in memory. */
const CHUNKS_IN_FLIGHT = 4;
/** Chunks of a stream cut ahead of the workers. */
const READ_AHEAD = 2;

interface ChunkResult {
  worker: number;
  batches: RunBatch[];
  done: Extract<FromWorker, { type: 'chunk-done' }> | null;
}

function openIngestConnection(path: string): Database.Database {
  const db = new Database(path);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Foreign keys cost ~6 % of the insert (a lookup of clusters(id) per row, measured). Every row this
  // connection writes belongs to one cluster, whose row is checked at the start of each write transaction
  // (see `begin`), and nothing here deletes: the same guarantee for one lookup per transaction.
  db.pragma('foreign_keys = OFF');
  db.pragma('synchronous = NORMAL');
  // A 32 MB page cache keeps the index and usage pages a big ingest keeps rewriting in memory, and fewer,
  // larger checkpoints write each hot page once per 80 MB of WAL instead of once per 8 MB: together ~20 %
  // less CPU per row (measured on 300k rows). The WAL is checkpointed at the end.
  db.pragma('cache_size = -32768');
  db.pragma('wal_autocheckpoint = 10000');
  return db;
}

export async function ingestSacct(store: Store, opts: SacctIngestOptions): Promise<SacctIngestResult> {
  if (store.readonly) throw new StoreError('read-only', `${store.path} is open read-only`);
  const started = performance.now();
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const startedAt = now();
  const db = openIngestConnection(store.path);
  let clusterId: number;
  let timeZone: string;
  let days: LocalDays;
  try {
    const clusters = new ClustersRepo(db);
    clusterId = clusters.idOf(opts.cluster);
    timeZone = opts.timeZone ?? clusters.timeZone(clusterId);
    days = new LocalDays(timeZone);
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError('bad-value', `time zone ${JSON.stringify(opts.timeZone)}: ${(err as Error).message}`, { cause: err });
  }
  const runs = new RunsRepo(db);
  const rollup = new UsageRollup(db, clusterId, days);
  const snapshots = new SnapshotsRepo(db);
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  // Big transactions matter: each commit also writes the usage_daily rows its runs touched, and those
  // repeat from one transaction to the next. Five seconds of lock hold stay well below busy_timeout.
  const txRows = opts.txRows ?? 500_000;
  const txMillis = opts.txMillis ?? 5000;
  const workerCount = Math.max(1, Math.floor(opts.workers ?? Math.min(4, availableParallelism() - 1)));
  // A batch per 2 MB chunk (~6.5k rows): fewer messages and fewer, larger usage lists to merge here.
  const workerData: IngestWorkerData = { clusterId, timeZone, delimiter: opts.delimiter ?? '|', batchRows: opts.batchRows ?? 8192 };
  const workers: Worker[] = [];
  const decoders: RunBatchDecoder[] = [];
  for (let i = 0; i < workerCount; i++) {
    workers.push(startWorker(opts.workerUrl ?? DEFAULT_WORKER, { workerData }));
    decoders.push(new RunBatchDecoder());
  }
  const elu = performance.eventLoopUtilization();

  let inTx = 0;
  let txStarted = 0;
  let stored = 0;
  const clusterExists = db.prepare('SELECT 1 FROM clusters WHERE id = ?');
  /** Start a write transaction, making sure the cluster was not removed meanwhile (foreign keys are off). */
  const begin = () => {
    db.exec('BEGIN IMMEDIATE');
    txStarted = performance.now();
    if (clusterExists.get(clusterId) === undefined) throw new StoreError('not-found', `cluster ${opts.cluster} was removed during the ingest`);
  };
  const summary = { rows: 0, skippedSteps: 0, errors: [] as RowError[], errorCount: 0, maxSeen: null as number | null, ignoredColumns: [] as string[] };

  try {
    await new Promise<void>((resolve, reject) => {
      const results = new Map<number, ChunkResult>();
      const inFlight = new Array<number>(workerCount).fill(0);
      const chunkBytes = opts.chunkBytes ?? 2 << 20;
      /** A file: its ranges are handed out by number. A stream: chunks the reader has cut, not yet handed out. */
      let file: (SacctFileStart & { path: string }) | null = null;
      let nextRange = 0;
      const queue: Chunk[] = [];
      const room: (() => void)[] = [];
      let next = 0;
      let linesBefore = 1;
      let total: number | null = null;
      let failed = false;
      const fail = (err: unknown) => {
        failed = true;
        reject(err);
      };
      const readFailed = (err: unknown) => fail(err instanceof StoreError ? err : new StoreError('ingest-failed', `reading sacct input: ${(err as Error).message}`, { cause: err }));

      /** Hand out work while workers have room; also called from drain, so a worker gets its next chunk
       * the moment one is stored. */
      const dispatch = () => {
        if (file !== null) {
          for (; nextRange < (total as number) && (inFlight[nextRange % workerCount] as number) < CHUNKS_IN_FLIGHT; nextRange++) {
            const w = nextRange % workerCount;
            inFlight[w] = (inFlight[w] as number) + 1;
            const start = file.dataStart + nextRange * chunkBytes;
            (workers[w] as Worker).postMessage({ type: 'range', seq: nextRange, file: file.path, start, end: Math.min(file.size, start + chunkBytes) } satisfies ToWorker);
          }
          return;
        }
        for (let item = queue[0]; item !== undefined; item = queue[0]) {
          const w = item.seq % workerCount;
          if ((inFlight[w] as number) >= CHUNKS_IN_FLIGHT) return;
          queue.shift();
          inFlight[w] = (inFlight[w] as number) + 1;
          (workers[w] as Worker).postMessage({ type: 'chunk', seq: item.seq, bytes: item.bytes } satisfies ToWorker, [item.bytes.buffer as ArrayBuffer]);
          room.shift()?.();
        }
      };

      /** Store every chunk that is complete and next in input order. */
      const drain = () => {
        for (let r = results.get(next); r?.done; r = results.get(next)) {
          for (const batch of r.batches) {
            if (!db.inTransaction) begin();
            runs.upsertBatch(batch, decoders[r.worker] as RunBatchDecoder, rollup, counts);
            inTx += batch.n;
            stored += batch.n;
          }
          const d = r.done;
          summary.rows += d.rows;
          summary.skippedSteps += d.skippedSteps;
          summary.errorCount += d.errorCount;
          // Chunks come in input order here, so the line before this chunk is known: the header is line 1.
          for (const e of d.errors) if (summary.errors.length < MAX_REPORTED_ERRORS) summary.errors.push({ line: e.line === null ? null : linesBefore + e.line, message: e.message });
          linesBefore += d.lines;
          if (d.maxSeen !== null && (summary.maxSeen === null || d.maxSeen > summary.maxSeen)) summary.maxSeen = d.maxSeen;
          results.delete(next);
          next++;
          inFlight[r.worker] = (inFlight[r.worker] as number) - 1;
          dispatch();
          if (inTx > 0 && (inTx >= txRows || performance.now() - txStarted >= txMillis)) {
            rollup.flush();
            db.exec('COMMIT');
            inTx = 0;
            opts.onProgress?.(stored);
          }
        }
        if (total !== null && next === total) resolve();
      };

      workers.forEach((worker, w) => {
        worker.on('message', (m: FromWorker) => {
          if (failed) return;
          try {
            if (m.type === 'fatal') throw new StoreError('ingest-failed', `sacct input for ${opts.cluster}: ${m.message}`);
            let r = results.get(m.seq);
            if (!r) results.set(m.seq, (r = { worker: w, batches: [], done: null }));
            if (m.type === 'rows') r.batches.push(m.batch);
            else r.done = m;
            if (m.seq === next) drain();
          } catch (err) {
            fail(err);
          }
        });
        worker.on('error', (err) => fail(new StoreError('ingest-failed', `sacct parse worker failed: ${err.message}`, { cause: err })));
        worker.on('exit', (code) => fail(new StoreError('ingest-failed', `sacct parse worker exited (${code}) before finishing`)));
      });

      const useHeader = (header: string) => {
        // Check the header here (with no data line no worker would ever see it), and learn which columns
        // the parser ignores.
        const check = new SacctStreamParser({ timeZone, delimiter: workerData.delimiter }, () => {});
        check.write(`${header}\n`);
        summary.ignoredColumns = check.end().ignoredColumns;
        for (const worker of workers) worker.postMessage({ type: 'header', text: header } satisfies ToWorker);
      };

      const input = opts.input;
      if ('file' in input) {
        // Each worker reads its ranges itself: this thread only stores.
        try {
          const start = readSacctFileStart(input.file);
          useHeader(start.header);
          file = { ...start, path: input.file };
          total = Math.ceil(Math.max(0, start.size - start.dataStart) / chunkBytes);
          dispatch();
          drain();
        } catch (err) {
          readFailed(err);
        }
        return;
      }
      void (async () => {
        let chunks = 0;
        for await (const item of sacctChunks(input.stream as AsyncIterable<string | Uint8Array>, chunkBytes)) {
          if (failed) return;
          if ('header' in item) {
            useHeader(item.header);
            continue;
          }
          while (queue.length >= READ_AHEAD) await new Promise<void>((r) => room.push(r));
          queue.push(item);
          chunks++;
          dispatch();
        }
        total = chunks;
        drain();
      })().catch(readFailed);
    });

    // The last rows, the rollup, the snapshot and the window commit together.
    if (!db.inTransaction) begin();
    rollup.flush();
    const finishedAt = Math.max(now(), startedAt);
    const errors = summary.errorCount > 0 ? [{ kind: 'accounting' as const, message: `${summary.errorCount} sacct row(s) could not be read; first: ${summary.errors.map((e) => (e.line !== null ? `line ${e.line}: ` : '') + e.message).slice(0, 3).join('; ')}` }] : [];
    const id = snapshots.create(clusterId, { startedAt, finishedAt, source: opts.source ?? 'import', status: errors.length > 0 ? 'partial' : 'ok', errors });
    snapshots.addKind(id, 'accounting', stored, false);
    if (opts.window) recordWindow(db, id, opts.window.since, opts.window.until, stored, summary.maxSeen);
    db.exec('COMMIT');
    opts.onProgress?.(stored);
    const parseBusy = workers.reduce((a, w) => a + w.performance.eventLoopUtilization().utilization, 0) / workers.length;
    return {
      snapshot: snapshots.get(id) as SnapshotInfo,
      rows: summary.rows,
      counts,
      skippedSteps: summary.skippedSteps,
      errors: summary.errors,
      errorCount: summary.errorCount,
      ignoredColumns: summary.ignoredColumns,
      seconds: (performance.now() - started) / 1000,
      utilization: { store: performance.eventLoopUtilization(elu).utilization, parse: parseBusy },
    };
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (err instanceof StoreError) throw err;
    if (err instanceof Error && err.name === 'SlurmParseError') throw new StoreError('ingest-failed', `sacct input for ${opts.cluster}: ${err.message}`, { cause: err });
    // SQLite errors (SQLITE_BUSY past busy_timeout, disk full, ...) reach the caller typed, with the cause.
    throw new StoreError('ingest-failed', `storing sacct runs of ${opts.cluster} failed after ${stored} rows: ${(err as Error).message}`, { cause: err });
  } finally {
    for (const worker of workers) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
    if (!db.inTransaction) db.pragma('wal_checkpoint(PASSIVE)');
    db.close();
  }
}

