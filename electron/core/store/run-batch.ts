// A batch of runs rows as it crosses from the ingest worker to the storing thread: numbers in one
// Float64Array (NaN = NULL), repetitive strings as codes into a dictionary both sides grow in step (-1 =
// NULL), near-unique strings (job id, name, node list) concatenated into one string with their end
// offsets; the typed buffers are transferred. Structured clone of the same rows as one flat JS array cost
// the receiving thread ~3.3 µs per row (measured), a third of what storing the row costs; this costs a
// fraction of that, because a user, account or TRES string repeated 10,000 times crosses once, and the
// rest crosses as one string instead of three per row.
// The batch also carries its rows' usage_daily contributions, summed by the worker (UsageDeltas), as
// dictionary codes and sums, and the order to store its rows in: by primary key (job id, submit time),
// stable, so a run listed twice still ends as its later line. SQLite appends to a B-tree it is filled in
// key order, and splits pages that a slightly out-of-order row lands in: array tasks come out of sacct a
// little out of order, and storing each batch in key order costs the storing thread ~5 % less (measured).
import { RC, RUN_COLUMNS, RUN_WIDTH, type RunValue } from './run-row';
import type { UsageDeltas, UsageEntry } from './usage-rollup';

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
/** Where the key columns sit in the numbers. */
const RAW_AT = AT[RC.job_id_raw] as number;
const SUBMIT_AT = AT[RC.submit_time] as number;
/** A usage entry: codes of day, account, user, partition, qos, GPU type; then GPU-, billing-, CPU-seconds, runs started. */
const USAGE_CODES = 6;
const USAGE_SUMS = 4;

export interface RunBatch {
  n: number;
  numbers: Float64Array;
  codes: Int32Array;
  /** The plain text columns' values, row by row, one after the other. */
  text: string;
  /** Per plain value: where it ends in `text`; `~end` (negative) for NULL. */
  ends: Int32Array;
  /** Dictionary entries added by this batch, in code order; after a reset when `reset`. */
  added: string[];
  reset: boolean;
  /** Row indexes in the order to store them; null when that is 0, 1, 2, ... */
  order: Int32Array | null;
  usageN: number;
  usageCodes: Int32Array;
  usageSums: Float64Array;
}

export class RunBatchEncoder {
  private dict = new Map<string, number>();
  private numbers: Float64Array;
  private codes: Int32Array;
  private ends: Int32Array;
  private parts: string[] = [];
  private textLength = 0;
  private added: string[] = [];
  private reset = false;
  n = 0;

  constructor(private readonly capacity: number) {
    this.numbers = new Float64Array(capacity * NUM_COLS);
    this.codes = new Int32Array(capacity * CODED_COLS);
    this.ends = new Int32Array(capacity * PLAIN_COLS);
  }

  get full(): boolean {
    return this.n >= this.capacity;
  }

  private code(s: string): number {
    let code = this.dict.get(s);
    if (code === undefined) {
      code = this.dict.size;
      this.dict.set(s, code);
      this.added.push(s);
    }
    return code;
  }

  add(row: readonly RunValue[]): void {
    const nb = this.n * NUM_COLS;
    const cb = this.n * CODED_COLS;
    const pb = this.n * PLAIN_COLS;
    for (let i = 0; i < RUN_WIDTH; i++) {
      const v = row[i] as RunValue;
      const kind = KIND[i];
      if (kind === 0) this.numbers[nb + (AT[i] as number)] = v === null ? Number.NaN : (v as number);
      else if (kind === 2) {
        if (v === null) this.ends[pb + (AT[i] as number)] = ~this.textLength;
        else {
          this.parts.push(v as string);
          this.textLength += (v as string).length;
          this.ends[pb + (AT[i] as number)] = this.textLength;
        }
      } else this.codes[cb + (AT[i] as number)] = v === null ? -1 : this.code(v as string);
    }
    this.n++;
  }

  /** The dictionary code the last added row got in a coded column (-1 for NULL). */
  lastCode(column: 'account' | 'user' | 'partition' | 'qos'): number {
    return this.codes[(this.n - 1) * CODED_COLS + (AT[COLUMN_INDEX[column]] as number)] as number;
  }

  /** Row indexes sorted by (job id, submit time), ties in input order; null when already in that order. */
  private keyOrder(): Int32Array | null {
    const nums = this.numbers;
    const n = this.n;
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) {
      const d = (nums[i * NUM_COLS + RAW_AT] as number) - (nums[(i - 1) * NUM_COLS + RAW_AT] as number);
      sorted = d > 0 || (d === 0 && (nums[i * NUM_COLS + SUBMIT_AT] as number) >= (nums[(i - 1) * NUM_COLS + SUBMIT_AT] as number));
    }
    if (sorted) return null;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort((a, b) => (nums[a * NUM_COLS + RAW_AT] as number) - (nums[b * NUM_COLS + RAW_AT] as number) || (nums[a * NUM_COLS + SUBMIT_AT] as number) - (nums[b * NUM_COLS + SUBMIT_AT] as number) || a - b);
  }

  /**
   * The batch so far with its rows' summed usage (its buffers are handed over: transfer them, see
   * `transferList`), and start the next.
   */
  take(usage: readonly UsageEntry[]): RunBatch {
    const usageCodes = new Int32Array(usage.length * USAGE_CODES);
    const usageSums = new Float64Array(usage.length * USAGE_SUMS);
    usage.forEach((e, i) => {
      for (let k = 0; k < USAGE_CODES; k++) usageCodes[i * USAGE_CODES + k] = this.code(e[k] as string);
      for (let k = 0; k < USAGE_SUMS; k++) usageSums[i * USAGE_SUMS + k] = e[USAGE_CODES + k] as number;
    });
    const batch: RunBatch = {
      n: this.n,
      numbers: this.numbers,
      codes: this.codes,
      text: this.parts.join(''),
      ends: this.ends,
      added: this.added,
      reset: this.reset,
      order: this.keyOrder(),
      usageN: usage.length,
      usageCodes,
      usageSums,
    };
    this.numbers = new Float64Array(this.capacity * NUM_COLS);
    this.codes = new Int32Array(this.capacity * CODED_COLS);
    this.ends = new Int32Array(this.capacity * PLAIN_COLS);
    this.parts = [];
    this.textLength = 0;
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

/** The buffers of a batch to transfer (not copy) with it. */
export function transferList(batch: RunBatch): ArrayBuffer[] {
  const list = [batch.numbers.buffer, batch.codes.buffer, batch.ends.buffer, batch.usageCodes.buffer, batch.usageSums.buffer];
  if (batch.order) list.push(batch.order.buffer);
  return list as ArrayBuffer[];
}

export class RunBatchDecoder {
  private dict: string[] = [];
  /** Per code, its id interned in the UsageDeltas `usage` is given (-1 until looked up). */
  private ids: number[] = [];

  /** Take in a batch's dictionary changes; call once per batch, in order, before reading its rows. */
  accept(batch: RunBatch): void {
    if (batch.reset) {
      this.dict = [];
      this.ids = [];
    }
    for (const s of batch.added) {
      this.dict.push(s);
      this.ids.push(-1);
    }
  }

  private id(code: number, deltas: UsageDeltas): number {
    let id = this.ids[code] as number;
    if (id < 0) this.ids[code] = id = deltas.intern(this.dict[code] as string);
    return id;
  }

  /** Add the batch's summed usage to `deltas` (after `accept`; always the same `deltas`). */
  usage(batch: RunBatch, deltas: UsageDeltas): void {
    const c = batch.usageCodes;
    const s = batch.usageSums;
    for (let i = 0; i < batch.usageN; i++) {
      const at = i * USAGE_CODES;
      const sums = i * USAGE_SUMS;
      deltas.addCoded(
        this.id(c[at] as number, deltas), this.id(c[at + 1] as number, deltas), this.id(c[at + 2] as number, deltas),
        this.id(c[at + 3] as number, deltas), this.id(c[at + 4] as number, deltas), this.id(c[at + 5] as number, deltas),
        s[sums] as number, s[sums + 1] as number, s[sums + 2] as number, s[sums + 3] as number,
      );
    }
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
      } else if (kind === 2) {
        const k = pb + (AT[c] as number);
        const end = batch.ends[k] as number;
        if (end < 0) out[c] = null;
        else {
          const prev = k === 0 ? 0 : (batch.ends[k - 1] as number);
          out[c] = batch.text.slice(prev < 0 ? ~prev : prev, end);
        }
      } else {
        const code = batch.codes[cb + (AT[c] as number)] as number;
        out[c] = code < 0 ? null : (this.dict[code] as string);
      }
    }
  }
}
