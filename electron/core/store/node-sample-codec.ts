// The packed form of one node's day in node_samples: 288 five-minute samples (UTC day, bucket = seconds
// into the day / 300), each 8 bytes little-endian:
//   u16 state code (node_state_codes; 0 = no sample in this bucket)
//   u16 GPUs allocated   u16 GPUs total
//   u16 reason slot (0 = no reason, k = the k-th id in the row's `reasons` list)
// plus the row's `reasons` BLOB: u32 node_reasons ids. A day row is 2,304 + 4·(reasons) bytes whatever
// happens on the node, so the size of 30 days × N nodes is known in advance. Fixed slots (not runs) make a
// sample a write at a known offset and a heatmap a straight copy into typed arrays.

export const BUCKET_SECONDS = 300;
export const BUCKETS_PER_DAY = 86400 / BUCKET_SECONDS;
export const SAMPLE_BYTES = 8;
export const DAY_BYTES = BUCKETS_PER_DAY * SAMPLE_BYTES;
/** Largest GPU count / state code / reason slot a u16 holds. */
export const U16_MAX = 0xffff;

export interface NodeSample {
  /** node_state_codes code, 0 for "no sample". */
  state: number;
  gpusAlloc: number;
  gpusTotal: number;
  /** node_reasons id, 0 for none. */
  reasonId: number;
}

export function dayOf(epoch: number): number {
  return Math.floor(epoch / 86400);
}

export function bucketOf(epoch: number): number {
  return Math.floor((epoch - dayOf(epoch) * 86400) / BUCKET_SECONDS);
}

/** One node-day being read or edited: the samples buffer and its reason list. */
export class NodeDay {
  readonly bytes: Buffer;
  readonly reasons: number[];

  constructor(bytes?: Uint8Array | null, reasons?: Uint8Array | null) {
    this.bytes = Buffer.alloc(DAY_BYTES);
    if (bytes) Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, DAY_BYTES)).copy(this.bytes);
    this.reasons = [];
    if (reasons) {
      const b = Buffer.from(reasons.buffer, reasons.byteOffset, reasons.byteLength);
      for (let i = 0; i + 4 <= b.length; i += 4) this.reasons.push(b.readUInt32LE(i));
    }
  }

  get(bucket: number): NodeSample {
    const at = bucket * SAMPLE_BYTES;
    const slot = this.bytes.readUInt16LE(at + 6);
    return {
      state: this.bytes.readUInt16LE(at),
      gpusAlloc: this.bytes.readUInt16LE(at + 2),
      gpusTotal: this.bytes.readUInt16LE(at + 4),
      reasonId: slot === 0 ? 0 : (this.reasons[slot - 1] ?? 0),
    };
  }

  /** Write a sample; returns whether anything changed. Throws RangeError on values a u16 cannot hold. */
  set(bucket: number, s: NodeSample): boolean {
    if (!(bucket >= 0 && bucket < BUCKETS_PER_DAY)) throw new RangeError(`bucket ${bucket} out of range`);
    for (const [k, v] of [['state', s.state], ['gpusAlloc', s.gpusAlloc], ['gpusTotal', s.gpusTotal]] as const) {
      if (!Number.isInteger(v) || v < 0 || v > U16_MAX) throw new RangeError(`node sample ${k} ${v} does not fit 16 bits`);
    }
    let slot = 0;
    if (s.reasonId !== 0) {
      slot = this.reasons.indexOf(s.reasonId) + 1;
      if (slot === 0) {
        this.reasons.push(s.reasonId);
        slot = this.reasons.length; // at most 288 distinct per day: always fits u16
      }
    }
    const at = bucket * SAMPLE_BYTES;
    const b = this.bytes;
    if (b.readUInt16LE(at) === s.state && b.readUInt16LE(at + 2) === s.gpusAlloc && b.readUInt16LE(at + 4) === s.gpusTotal && b.readUInt16LE(at + 6) === slot) return false;
    b.writeUInt16LE(s.state, at);
    b.writeUInt16LE(s.gpusAlloc, at + 2);
    b.writeUInt16LE(s.gpusTotal, at + 4);
    b.writeUInt16LE(slot, at + 6);
    return true;
  }

  reasonsBlob(): Buffer {
    const b = Buffer.alloc(this.reasons.length * 4);
    this.reasons.forEach((id, i) => b.writeUInt32LE(id, i * 4));
    return b;
  }
}
