// A batch of runs rows as it crosses from the ingest worker to the storing thread: numbers in one
// Float64Array (NaN = NULL), repetitive strings as codes into a dictionary both sides grow in step (-1 =
// NULL), near-unique strings (job id, name, node list) as they are; the typed buffers are transferred. Structured clone of the same rows as one flat JS array cost the
// receiving thread ~3.3 µs per row (measured), a third of what storing the row costs; this costs a
// fraction of that, because a user, account or TRES string repeated 10,000 times crosses once.
// The batch also carries its rows' usage_daily contributions, summed by the worker (UsageDeltas).
import { RUN_COLUMNS, RUN_WIDTH, type RunValue } from './run-row';
import type { UsageEntry } from './usage-rollup';

/** Text columns with few distinct values: sent as dictionary codes. */
const CODED = new Set(['user', 'account', 'partition', 'qos', 'state', 'state_detail', 'gpu_types', 'tres_other', 'req_tres']);
/** Text columns nearly unique per row (a dictionary would only grow): sent as strings. */
const PLAIN = new Set(['job_id', 'name', 'nodes_expr']);
/** Per column, in RUN_COLUMNS order: 0 number, 1 coded text, 2 plain text; and its index in that array. */
const KIND = new Uint8Array(RUN_WIDTH);
const AT = new Int32Array(RUN_WIDTH);
let nums = 0;
let coded = 0;
let plain = 0;
RUN_COLUMNS.forEach((c, i) => {
  KIND[i] = CODED.has(c) ? 1 : PLAIN.has(c) ? 2 : 0;
  AT[i] = CODED.has(c) ? coded++ : PLAIN.has(c) ? plain++ : nums++;
});
const NUM_COLS = nums;
const COLUMN_INDEX = Object.fromEntries(RUN_COLUMNS.map((c, i) => [c, i])) as Record<(typeof RUN_COLUMNS)[number], number>;
const CODED_COLS = coded;
const PLAIN_COLS = plain;
/** Past this many entries both sides start a new dictionary (a column can turn out to vary a lot). */
const DICT_LIMIT = 50_000;

export interface RunBatch {
  n: number;
  numbers: Float64Array;
  codes: Int32Array;
  strings: (string | null)[];
  /** Dictionary entries added by this batch, in code order; after a reset when `reset`. */
  added: string[];
  reset: boolean;
  usage: UsageEntry[];
}

export class RunBatchEncoder {
  private dict = new Map<string, number>();
  private numbers: Float64Array;
  private codes: Int32Array;
  private strings: (string | null)[] = [];
  private added: string[] = [];
  private reset = false;
  n = 0;

  constructor(private readonly capacity: number) {
    this.numbers = new Float64Array(capacity * NUM_COLS);
    this.codes = new Int32Array(capacity * CODED_COLS);
  }

  get full(): boolean {
    return this.n >= this.capacity;
  }

  add(row: readonly RunValue[]): void {
    const nb = this.n * NUM_COLS;
    const cb = this.n * CODED_COLS;
    for (let i = 0; i < RUN_WIDTH; i++) {
      const v = row[i] as RunValue;
      const kind = KIND[i];
      if (kind === 0) this.numbers[nb + (AT[i] as number)] = v === null ? Number.NaN : (v as number);
      else if (kind === 2) this.strings.push(v as string | null);
      else if (v === null) this.codes[cb + (AT[i] as number)] = -1;
      else {
        let code = this.dict.get(v as string);
        if (code === undefined) {
          code = this.dict.size;
          this.dict.set(v as string, code);
          this.added.push(v as string);
        }
        this.codes[cb + (AT[i] as number)] = code;
      }
    }
    this.n++;
  }

  /** The dictionary code the last added row got in a coded column (-1 for NULL). */
  lastCode(column: 'account' | 'user' | 'partition' | 'qos'): number {
    return this.codes[(this.n - 1) * CODED_COLS + (AT[COLUMN_INDEX[column]] as number)] as number;
  }

  /** The batch so far (its buffers are handed over: transfer them), and start the next. */
  take(usage: UsageEntry[]): RunBatch {
    const batch: RunBatch = { n: this.n, numbers: this.numbers, codes: this.codes, strings: this.strings, added: this.added, reset: this.reset, usage };
    this.numbers = new Float64Array(this.capacity * NUM_COLS);
    this.codes = new Int32Array(this.capacity * CODED_COLS);
    this.strings = [];
    this.added = [];
    this.reset = false;
    this.n = 0;
    if (this.dict.size > DICT_LIMIT) {
      this.dict = new Map();
      this.reset = true;
    }
    return batch;
  }
}

export class RunBatchDecoder {
  private dict: string[] = [];

  /** Take in a batch's dictionary changes; call once per batch, in order, before reading its rows. */
  accept(batch: RunBatch): void {
    if (batch.reset) this.dict = [];
    for (const s of batch.added) this.dict.push(s);
  }

  /** Row `i` of the batch into `out` (RUN_COLUMNS order). */
  row(batch: RunBatch, i: number, out: RunValue[]): void {
    const nb = i * NUM_COLS;
    const cb = i * CODED_COLS;
    const pb = i * PLAIN_COLS;
    for (let c = 0; c < RUN_WIDTH; c++) {
      const kind = KIND[c];
      if (kind === 0) {
        const v = batch.numbers[nb + (AT[c] as number)] as number;
        out[c] = v === v ? v : null; // NaN stands for NULL
      } else if (kind === 2) out[c] = batch.strings[pb + (AT[c] as number)] as string | null;
      else {
        const code = batch.codes[cb + (AT[c] as number)] as number;
        out[c] = code < 0 ? null : (this.dict[code] as string);
      }
    }
  }
}
