// The parse side of a sacct ingest, in a worker thread: read `sacct -P` text (a file, or chunks the main
// thread forwards from an SSH channel), parse it with the shared sacct parser, turn each run into its
// `runs` row and send rows in flat batches. At most a few batches are in flight (credits), so a fast parser
// never piles up rows faster than SQLite stores them, and memory stays flat for any input size.
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { AccountingRun } from '../../../shared/model/run';
import { SlurmParseError } from '../../../shared/slurm/parse/errors';
import { SacctStreamParser } from '../../../shared/slurm/parse/sacct';
import { LocalDays } from '../../../shared/usage/local-days';
import { MAX_REPORTED_ERRORS, type FromWorker, type IngestWorkerData, type RowError, type ToWorker } from './ingest-protocol';
import { CodedUsage } from './batch-usage';
import { RunBatchEncoder, type RunBatch } from './run-batch';
import { runToRow, type RunValue } from './run-row';
import { UsageDeltas } from './usage-rollup';

const IN_FLIGHT = 4;

if (!parentPort) throw new Error('sacct-ingest-worker must run in a worker thread');
const port = parentPort;
const data = workerData as IngestWorkerData;

let credits = IN_FLIGHT;
let wakeCredit: (() => void) | null = null;
const chunks: (Uint8Array | null)[] = [];
let wakeChunk: (() => void) | null = null;

port.on('message', (m: ToWorker) => {
  if (m.type === 'credit') {
    credits++;
    wakeCredit?.();
    wakeCredit = null;
  } else {
    chunks.push(m.type === 'chunk' ? m.bytes : null);
    wakeChunk?.();
    wakeChunk = null;
  }
});

const send = (m: FromWorker) => port.postMessage(m);

const encoder = new RunBatchEncoder(data.batchRows);
// Each batch's usage_daily contributions, summed here (as if every run were new) to spare the storing thread.
const usage = new CodedUsage(new UsageDeltas(new LocalDays(data.timeZone)));
let ready: RunBatch[] = [];
const errors: RowError[] = [];
let errorCount = 0;
let maxSeen: number | null = null;

function noteError(e: RowError): void {
  errorCount++;
  if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
}

function onRun(run: AccountingRun): void {
  let row: RunValue[];
  try {
    row = runToRow(data.clusterId, run);
  } catch (err) {
    noteError({ line: null, message: (err as Error).message });
    return;
  }
  encoder.add(row);
  usage.add(row, encoder.lastCode('account'), encoder.lastCode('user'), encoder.lastCode('partition'), encoder.lastCode('qos'));
  for (const t of [run.submitTime, run.startTime, run.endTime]) if (t !== null && (maxSeen === null || t > maxSeen)) maxSeen = t;
  if (encoder.full) ready.push(encoder.take(usage.take()));
}

/** Send finished batches as credits allow; waits (between chunks, never inside the parser) when out of credits. */
async function drain(all: boolean): Promise<void> {
  if (all && encoder.n > 0) ready.push(encoder.take(usage.take()));
  for (const batch of ready) {
    while (credits === 0) await new Promise<void>((resolve) => (wakeCredit = resolve));
    credits--;
    port.postMessage({ type: 'rows', batch } satisfies FromWorker, [batch.numbers.buffer as ArrayBuffer, batch.codes.buffer as ArrayBuffer]);
  }
  ready = [];
}

async function* input(): AsyncGenerator<Uint8Array> {
  if (data.file !== null) {
    for await (const chunk of createReadStream(data.file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
    return;
  }
  for (;;) {
    while (chunks.length === 0) await new Promise<void>((resolve) => (wakeChunk = resolve));
    const chunk = chunks.shift() as Uint8Array | null;
    if (chunk === null) return;
    yield chunk;
    send({ type: 'chunk-done' });
  }
}

async function main(): Promise<void> {
  const parser = new SacctStreamParser({ timeZone: data.timeZone, delimiter: data.delimiter }, onRun);
  let carry: Buffer = Buffer.alloc(0);
  for await (const bytes of input()) {
    const buf = carry.length > 0 ? Buffer.concat([carry, bytes]) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let from = 0;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, from)) {
      parser.write(`${buf.toString('utf8', from, nl)}\n`);
      from = nl + 1;
    }
    carry = Buffer.from(buf.subarray(from));
    await drain(false);
  }
  if (carry.length > 0) parser.write(carry.toString('utf8'));
  const summary = parser.end();
  await drain(true);
  for (const e of summary.errors) noteError({ line: e.line, message: e.message });
  send({ type: 'done', rows: summary.rows, skippedSteps: summary.skippedSteps, errors, errorCount, ignoredColumns: summary.ignoredColumns, maxSeen });
}

main().catch((err: unknown) => {
  const message = err instanceof SlurmParseError || err instanceof Error ? err.message : String(err);
  send({ type: 'fatal', message });
});
