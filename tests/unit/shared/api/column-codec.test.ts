import { describe, expect, it } from 'vitest';
import { ColumnCodecError, DictBuilder, NULL_U32, base64ToBytes, bytesToBase64, decodeDict, decodeF64, decodeU32, dictValue, encodeF64, encodeU32, u32Value } from '../../../../shared/api/column-codec';

describe('column codec', () => {
  it('encodes bytes exactly as standard base64 does, for every padding case', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 255);
      const ours = bytesToBase64(bytes);
      expect(ours).toBe(Buffer.from(bytes).toString('base64'));
      expect([...base64ToBytes(ours)]).toEqual([...bytes]);
    }
  });

  it('round-trips a large Uint32 column across chunk boundaries, NULL_U32 included', () => {
    const values = Uint32Array.from({ length: 50_001 }, (_, i) => (i % 1000 === 0 ? NULL_U32 : (i * 2_654_435_761) >>> 0));
    const back = decodeU32(encodeU32(values), values.length);
    expect(back).toEqual(values);
  });

  it('dictionary-codes strings, keeps null apart from "null" and the empty string', () => {
    const b = new DictBuilder(5);
    for (const v of ['PENDING', null, 'null', '', 'PENDING']) b.push(v);
    const col = b.build();
    expect(col.dict).toEqual(['PENDING', 'null', '']);
    const d = decodeDict(col, 5);
    expect([0, 1, 2, 3, 4].map((i) => dictValue(d, i))).toEqual(['PENDING', null, 'null', '', 'PENDING']);
  });

  it('refuses columns of the wrong length, codes outside the dictionary and bad base64 with typed errors', () => {
    expect(() => decodeU32(encodeU32(new Uint32Array(3)), 4)).toThrow(ColumnCodecError);
    expect(() => decodeDict({ dict: ['a'], codes: encodeU32(Uint32Array.of(0, 1)) }, 2)).toThrow(/entry 1 of 1/);
    expect(() => base64ToBytes('abc')).toThrow(ColumnCodecError);
    expect(() => base64ToBytes('ab!d')).toThrow(/invalid base64/);
  });

  it('round-trips Float64 columns exactly: negatives, integers past 2^32 and 2^53, NaN as "none"', () => {
    const values = Float64Array.from([0, -5, 120, 2 ** 32, 2 ** 32 + 1, 16_588_800_000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, Number.NaN, 0.5]);
    const back = decodeF64(encodeF64(values), values.length);
    expect([...back]).toEqual([...values]);
    expect(Number.isNaN(back[8])).toBe(true);
    // A view into a larger buffer encodes only its own values.
    const big = new Float64Array([1, 2, 3, 4]);
    expect([...decodeF64(encodeF64(big.subarray(1, 3)), 2)]).toEqual([2, 3]);
    expect(() => decodeF64(encodeF64(values), values.length + 1)).toThrow(ColumnCodecError);
    expect(() => decodeF64(encodeU32(new Uint32Array(3)), 1)).toThrow(ColumnCodecError);
  });

  it('u32Value maps null to NULL_U32 and refuses what a Uint32 column cannot hold', () => {
    expect(u32Value(null)).toBe(NULL_U32);
    expect(u32Value(0)).toBe(0);
    expect(u32Value(NULL_U32 - 1)).toBe(NULL_U32 - 1);
    for (const bad of [-1, NULL_U32, 2 ** 32, 1.5, Number.NaN]) expect(() => u32Value(bad)).toThrow(ColumnCodecError);
  });
});
