// The ingest worker's usage_daily sums for one batch. Same rule as UsageDeltas (it calls its
// `contribute`), but keyed by the batch encoder's dictionary codes (numbers in nested maps) instead of a
// string built and hashed per run: on fresh strings from the parser that string key was the worker's
// costliest step of its own. Entries cross to the storing thread as dictionary codes (run-batch.ts), so
// they carry no string key (''). Codes are valid within one batch (the encoder's dictionary only resets
// between batches), and take() is called with the encoder's take().
import type { RunValue } from './run-row';
import { RC } from './run-row';
import type { UsageDeltas, UsageEntry } from './usage-rollup';

const CODE_LIMIT = 2 ** 17; // account, user, partition codes pack exactly into 51 bits of a double
const TYPE_LIMIT = 4096; // qos code × TYPE_LIMIT + type index stays a small integer

export class CodedUsage {
  private byDay = new Map<string, Map<number, Map<number, UsageEntry>>>();
  private entries: UsageEntry[] = [];
  private types = new Map<string, number>();
  private row: readonly RunValue[] = [];
  private dims = 0;
  private qos = 0;

  /** `rule` computes contributions, and sums (by string) runs whose codes do not fit the numeric key. */
  constructor(private readonly rule: UsageDeltas) {}

  add(row: readonly RunValue[], account: number, user: number, partition: number, qos: number): void {
    const fits = account >= 0 && user >= 0 && partition >= 0 && qos >= 0 && account < CODE_LIMIT && user < CODE_LIMIT && partition < CODE_LIMIT && qos < CODE_LIMIT;
    if (!fits || this.types.size >= TYPE_LIMIT - 8) {
      this.rule.add(row, 1);
      return;
    }
    this.row = row;
    this.dims = (account * CODE_LIMIT + user) * CODE_LIMIT + partition;
    this.qos = qos;
    this.rule.contribute(row, this.visit);
  }

  private readonly visit = (day: string, type: string, gpuS: number, billS: number, cpuS: number, started: number): void => {
    let t = this.types.get(type);
    if (t === undefined) this.types.set(type, (t = this.types.size));
    let byDims = this.byDay.get(day);
    if (!byDims) this.byDay.set(day, (byDims = new Map()));
    let byQosType = byDims.get(this.dims);
    if (!byQosType) byDims.set(this.dims, (byQosType = new Map()));
    const k = this.qos * TYPE_LIMIT + t;
    let e = byQosType.get(k);
    if (!e) {
      const row = this.row;
      e = [day, row[RC.account] as string, row[RC.user] as string, row[RC.partition] as string, row[RC.qos] as string, type, 0, 0, 0, 0, ''];
      byQosType.set(k, e);
      this.entries.push(e);
    }
    e[6] += gpuS;
    e[7] += billS;
    e[8] += cpuS;
    e[9] += started;
  };

  /** This batch's sums (with those of runs that took the string path), and start the next batch. */
  take(): UsageEntry[] {
    const out = this.entries;
    const fallback = this.rule.take();
    this.entries = [];
    this.byDay = new Map();
    this.types = new Map();
    return fallback.length > 0 ? [...out, ...fallback] : out;
  }
}
