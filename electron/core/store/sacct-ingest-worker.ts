// A parse worker of a sacct ingest: for each chunk of whole lines it gets (or reads from a file's byte
// range), run the shared sacct parser (under the input's header), turn each run into its `runs` row, and
// send the rows as RunBatches with the batch's usage_daily contributions already summed, then a
// `chunk-done` report with the chunk's row errors numbered by input line. Several of these can run at
// once; the main thread keeps input order.
//
// Lines are decoded one by one before the parser sees them. Fed whole 1 MB chunks, the parser's field
// strings are V8 slices of the chunk, and every value it caches (TRES strings, node lists) kept a whole
// chunk alive: 200 MB of input left 211 MB of heap. Per-line strings bound that to a line per value.
import { parentPort, workerData } from 'node:worker_threads';
import type { AccountingRun } from '../../../shared/model/run';
import { SacctStreamParser } from '../../../shared/slurm/parse/sacct';
import { LocalDays } from '../../../shared/usage/local-days';
import { CodedUsage } from './batch-usage';
import { MAX_REPORTED_ERRORS, type FromWorker, type IngestWorkerData, type RowError, type ToWorker } from './ingest-protocol';
import { RunBatchEncoder, transferList } from './run-batch';
import { readLinesStartingIn } from './sacct-chunker';
import { RUN_WIDTH, runToRow, type RunValue } from './run-row';
import { TresFormatCache } from './tres-text';
import { UsageDeltas } from './usage-rollup';

if (!parentPort) throw new Error('sacct-ingest-worker must run in a worker thread');
const port = parentPort;
const data = workerData as IngestWorkerData;
const encoder = new RunBatchEncoder(data.batchRows);
// Each batch's usage_daily contributions, summed here (as if every run were new) to spare the storing thread.
const usage = new CodedUsage(new UsageDeltas(new LocalDays(data.timeZone)));

let header = '';
let seq = -1;
let errors: RowError[] = [];
let errorCount = 0;
let maxSeen: number | null = null;

function noteError(e: RowError): void {
  errorCount++;
  if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
}

function send(): void {
  const batch = encoder.take(usage.take());
  port.postMessage({ type: 'rows', seq, batch } satisfies FromWorker, transferList(batch));
}

const row: RunValue[] = new Array<RunValue>(RUN_WIDTH);
const formats = new TresFormatCache();

function onRun(run: AccountingRun): void {
  try {
    runToRow(data.clusterId, run, row, formats);
  } catch (err) {
    noteError({ line: null, message: (err as Error).message });
    return;
  }
  encoder.add(row);
  usage.add(row, encoder.lastCode('account'), encoder.lastCode('user'), encoder.lastCode('partition'), encoder.lastCode('qos'));
  for (const t of [run.submitTime, run.startTime, run.endTime]) if (t !== null && (maxSeen === null || t > maxSeen)) maxSeen = t;
  if (encoder.full) send();
}

function parseChunk(chunkSeq: number, buf: Buffer): void {
  seq = chunkSeq;
  errors = [];
  errorCount = 0;
  maxSeen = null;
  // Shared mode: runs here are read once (into `row`) and dropped, so cached TRES and exit codes need no
  // copies and node lists no expansion (the store keeps the expression; readers expand it).
  const parser = new SacctStreamParser({ timeZone: data.timeZone, delimiter: data.delimiter, shared: true }, onRun);
  parser.writeLine(header);
  let from = 0;
  let lines = 0;
  for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, from)) {
    parser.writeLine(buf.toString('utf8', from, nl));
    from = nl + 1;
    lines++;
  }
  if (from < buf.length) {
    parser.write(buf.toString('utf8', from));
    lines++;
  }
  const summary = parser.end();
  if (encoder.n > 0) send();
  // The parser numbers the header 1, so the chunk's first line is 2: report lines of the chunk from 1.
  for (const e of summary.errors) noteError({ line: e.line === null ? null : e.line - 1, message: `${e.reason}: "${e.input}"` });
  port.postMessage({ type: 'chunk-done', seq, lines, rows: summary.rows, skippedSteps: summary.skippedSteps, errors, errorCount, maxSeen } satisfies FromWorker);
}

port.on('message', (m: ToWorker) => {
  try {
    if (m.type === 'header') header = m.text;
    else if (m.type === 'chunk') parseChunk(m.seq, Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
    else parseChunk(m.seq, readLinesStartingIn(m.file, m.start, m.end));
  } catch (err) {
    port.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) } satisfies FromWorker);
  }
});
