import { describe, expect, it } from 'vitest';
import { ColumnCodecError, DictBuilder, NULL_U32, base64ToBytes, bytesToBase64, decodeDict, decodeU32, dictValue, encodeU32 } from '../../../../shared/api/column-codec';

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
});
