// Binary WebSocket frames: typed arrays anywhere in a message come back where they were, with their type
// and contents; messages without them stay JSON text; a frame that does not fit its header is refused.
import { describe, expect, it } from 'vitest';
import { WireFrameError, decodeWireFrame, encodeWireMessage } from '../../../../shared/api/wire';

/** Write a frame by hand: magic, header length, header, then `data` at byte `dataAt` of the data part. */
function handFrame(header: unknown, dataAt: number, data: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = Math.ceil((8 + h.length) / 8) * 8;
  const out = new Uint8Array(dataStart + dataAt + data.length);
  out.set([0x43, 0x4f, 0x42, 0x31]);
  new DataView(out.buffer).setUint32(4, h.length, true);
  out.set(h, 8);
  out.set(data, dataStart + dataAt);
  return out;
}

describe('wire frames', () => {
  it('keeps a message without typed arrays as JSON text', () => {
    const msg = { id: 3, ok: true, result: { a: [1, 'x', null, { b: true }] } };
    expect(encodeWireMessage(msg)).toBe(JSON.stringify(msg));
  });

  it('round-trips typed arrays at any depth, of every supported type, without touching the original', () => {
    const cells = Uint8Array.from({ length: 1001 }, (_, i) => (i * 7) & 255);
    const ids = Uint32Array.from([0, 1, 0xffffffff, 42]);
    const msg = {
      id: 9,
      ok: true,
      result: { name: 'é ✓ 中', cells, nested: [{ ids }, { f: Float64Array.from([1.5, -2]) }, 'x'], i: Int32Array.from([-1]), w: Uint16Array.from([65535]), empty: new Uint8Array(0) },
    };
    const frame = encodeWireMessage(msg);
    expect(frame).toBeInstanceOf(Uint8Array);
    expect(msg.result.cells).toBe(cells); // the caller's message is not changed
    const back = decodeWireFrame(frame as Uint8Array) as typeof msg;
    expect(back.result.name).toBe('é ✓ 中');
    expect(back.result.cells).toBeInstanceOf(Uint8Array);
    expect([...back.result.cells]).toEqual([...cells]);
    expect(back.result.nested[0]).toEqual({ ids });
    expect((back.result.nested[0] as { ids: Uint32Array }).ids).toBeInstanceOf(Uint32Array);
    expect((back.result.nested[1] as { f: Float64Array }).f).toEqual(Float64Array.from([1.5, -2]));
    expect(back.result.nested[2]).toBe('x');
    expect(back.result.i).toEqual(Int32Array.from([-1]));
    expect(back.result.w).toEqual(Uint16Array.from([65535]));
    expect(back.result.empty).toEqual(new Uint8Array(0));
  });

  it('sends a Node Buffer (a view on a larger pool) as its own bytes, and reads a frame at any byte offset', () => {
    const pool = Buffer.alloc(64, 1);
    const msg = { event: 'x', payload: { b: pool.subarray(3, 10), u: Uint32Array.from([7, 8]) } };
    const frame = encodeWireMessage(msg) as Uint8Array;
    // As Node's ws hands a received frame: a Buffer starting at an odd offset of its ArrayBuffer.
    const shifted = new Uint8Array(frame.length + 1).subarray(1);
    shifted.set(frame);
    const back = decodeWireFrame(shifted) as { payload: { b: Uint8Array; u: Uint32Array } };
    expect([...back.payload.b]).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect([...back.payload.u]).toEqual([7, 8]);
    expect(decodeWireFrame(frame.buffer as ArrayBuffer)).toEqual(decodeWireFrame(shifted));
  });

  it('refuses frames that do not fit their header, and attachments anywhere but a placeholder', () => {
    expect(() => decodeWireFrame(new TextEncoder().encode('{"id":1}'))).toThrow(WireFrameError);
    const at = (path: unknown[], message: unknown, offset = 8, length = 4) => handFrame({ message, attachments: [{ path, type: 'u8', offset, length }] }, 8, Uint8Array.from([1, 2, 3, 4]));
    expect((decodeWireFrame(at(['result', 'c'], { id: 1, result: { c: null } })) as { result: { c: Uint8Array } }).result.c).toEqual(Uint8Array.from([1, 2, 3, 4]));
    expect(() => decodeWireFrame(at(['result', 'c'], { id: 1, result: { c: 'text' } }))).toThrow(/not a placeholder/);
    expect(() => decodeWireFrame(at(['result', 'missing'], { id: 1, result: {} }))).toThrow(/nothing at/);
    expect(() => decodeWireFrame(at(['__proto__'], { id: 1 }))).toThrow(/refused key/);
    expect(() => decodeWireFrame(at(['result', 0], { id: 1, result: { 0: null } }))).toThrow(/does not match/);
    expect(() => decodeWireFrame(at(['result', 'c'], { id: 1, result: { c: null } }, 8, 5))).toThrow(/outside the frame/);
    expect(() => decodeWireFrame(at(['result', 'c'], { id: 1, result: { c: null } }, 3))).toThrow(/outside the frame/);
    const err = (() => {
      try {
        decodeWireFrame(at(['result', 'c'], { id: 12, result: { c: 1 } }));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toMatchObject({ name: 'WireFrameError', id: 12 });
    expect(() => decodeWireFrame(handFrame({ message: {}, attachments: [{ path: ['x'], type: 'u64', offset: 0, length: 1 }] }, 0, new Uint8Array(8)))).toThrow(/header is not valid/);
  });

  it('refuses to send a DataView or other non-array views', () => {
    expect(() => encodeWireMessage({ v: new DataView(new ArrayBuffer(4)) })).toThrow(/cannot send a DataView/);
  });
});
