// Large tables cross the bridge as columns, not arrays of objects: numbers as Uint32Array packed into
// base64 (the WebSocket carries JSON, and one base64 string per column clones and parses ~10x faster than
// 50k small objects), strings dictionary-coded (each distinct value once, plus a Uint32 code per row).
// Pure TypeScript with its own base64 so the same code runs in the core, the renderer and tests.
import { z } from 'zod';

/** The code that stands for "no value" in a nullable column (a Uint32 no real count, id or time reaches). */
export const NULL_U32 = 0xffffffff;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export class ColumnCodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ColumnCodecError';
  }
}

const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = 61; // '='

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  // Chunks keep each String.fromCharCode call within the engine's argument limit.
  const CHUNK = 3 * 8192;
  const out = new Uint16Array((CHUNK / 3) * 4);
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    let o = 0;
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
      out[o++] = ENCODE[n >>> 18] as number;
      out[o++] = ENCODE[(n >>> 12) & 63] as number;
      out[o++] = ENCODE[(n >>> 6) & 63] as number;
      out[o++] = ENCODE[n & 63] as number;
    }
    if (i < end) {
      const two = i + 1 < end;
      const n = ((bytes[i] as number) << 16) | ((two ? (bytes[i + 1] as number) : 0) << 8);
      out[o++] = ENCODE[n >>> 18] as number;
      out[o++] = ENCODE[(n >>> 12) & 63] as number;
      out[o++] = two ? (ENCODE[(n >>> 6) & 63] as number) : PAD;
      out[o++] = PAD;
    }
    parts.push(String.fromCharCode.apply(null, out.subarray(0, o) as unknown as number[]));
  }
  return parts.join('');
}

function sextet(text: string, at: number): number {
  const ch = text.charCodeAt(at);
  const v = ch < 128 ? (DECODE[ch] as number) : -1;
  if (v < 0) throw new ColumnCodecError(`invalid base64 character at ${at}`);
  return v;
}

export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new ColumnCodecError(`base64 length ${text.length} is not a multiple of 4`);
  let pad = 0;
  if (text.endsWith('==')) pad = 2;
  else if (text.endsWith('=')) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  const full = pad ? text.length - 4 : text.length;
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const n = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12) | (sextet(text, i + 2) << 6) | sextet(text, i + 3);
    out[o++] = n >>> 16;
    out[o++] = (n >>> 8) & 255;
    out[o++] = n & 255;
  }
  if (pad) {
    const i = full;
    const n = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12) | (pad === 1 ? sextet(text, i + 2) << 6 : 0);
    out[o++] = n >>> 16;
    if (pad === 1) out[o++] = (n >>> 8) & 255;
  }
  return out;
}

/** A Uint32 column: little-endian bytes (as typed arrays lay them out on every platform we run on), base64. */
export const U32Column = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
export type U32Column = z.infer<typeof U32Column>;

export function encodeU32(values: Uint32Array): U32Column {
  return bytesToBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

export function decodeU32(text: U32Column, expectedLength: number): Uint32Array {
  const bytes = base64ToBytes(text);
  if (bytes.length !== expectedLength * 4) throw new ColumnCodecError(`column holds ${bytes.length / 4} values, expected ${expectedLength}`);
  // A fresh, aligned buffer: Uint32Array needs an offset that is a multiple of 4.
  return new Uint32Array(bytes.buffer, bytes.byteOffset, expectedLength);
}

/** Strings: each distinct value once (`dict`), one code per row into it (NULL_U32 = null). */
export const DictColumn = z.object({ dict: z.array(z.string()), codes: U32Column });
export type DictColumn = z.infer<typeof DictColumn>;

/** Builds a dictionary-coded column row by row. */
export class DictBuilder {
  readonly dict: string[] = [];
  private readonly index = new Map<string, number>();
  readonly codes: Uint32Array;
  private n = 0;

  constructor(length: number) {
    this.codes = new Uint32Array(length);
  }

  code(value: string | null): number {
    if (value === null) return NULL_U32;
    let k = this.index.get(value);
    if (k === undefined) {
      k = this.dict.length;
      this.dict.push(value);
      this.index.set(value, k);
    }
    return k;
  }

  push(value: string | null): void {
    this.codes[this.n++] = this.code(value);
  }

  build(): DictColumn {
    return { dict: this.dict, codes: encodeU32(this.codes) };
  }
}

export interface DecodedDict {
  dict: string[];
  codes: Uint32Array;
}

export function decodeDict(column: DictColumn, expectedLength: number): DecodedDict {
  const codes = decodeU32(column.codes, expectedLength);
  const size = column.dict.length;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] as number;
    if (c !== NULL_U32 && c >= size) throw new ColumnCodecError(`row ${i} points at dictionary entry ${c} of ${size}`);
  }
  return { dict: column.dict, codes };
}

/** The value of row `i` of a decoded dictionary column (null for NULL_U32). */
export function dictValue(column: DecodedDict, i: number): string | null {
  const c = column.codes[i] as number;
  return c === NULL_U32 ? null : (column.dict[c] as string);
}

/**
 * A Float64 column, for numbers a Uint32 cannot hold: negative values (seconds before an event) and
 * integers past 2^32 (GPU-seconds of long, wide runs). Exact for every integer up to 2^53. NaN stands for
 * "no value" where a column says so. Same base64 shape as a Uint32 column, 8 bytes per value.
 */
export const F64Column = U32Column;
export type F64Column = z.infer<typeof F64Column>;

export function encodeF64(values: Float64Array): F64Column {
  return bytesToBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

export function decodeF64(text: F64Column, expectedLength: number): Float64Array {
  const bytes = base64ToBytes(text);
  if (bytes.length !== expectedLength * 8) throw new ColumnCodecError(`column holds ${bytes.length / 8} values, expected ${expectedLength}`);
  // base64ToBytes returns a fresh buffer at offset 0, so the view is aligned.
  return new Float64Array(bytes.buffer, bytes.byteOffset, expectedLength);
}

/** `value` as a Uint32 column entry (null → NULL_U32); refuses what the column cannot hold exactly. */
export function u32Value(value: number | null): number {
  if (value === null) return NULL_U32;
  if (!Number.isInteger(value) || value < 0 || value >= NULL_U32) throw new ColumnCodecError(`${value} does not fit a Uint32 column`);
  return value;
}
