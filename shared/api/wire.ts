// The message format a Bridge speaks over a byte stream (the web host's WebSocket): requests and their
// replies carry the same id; events from the core carry no id.
import { z } from 'zod';

export const WireRequest = z.object({ id: z.number().int().nonnegative(), method: z.string(), params: z.unknown() });
export type WireRequest = z.infer<typeof WireRequest>;

export const WireReply = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    id: z.number().int(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);
export type WireReply = z.infer<typeof WireReply>;

export const WireEvent = z.object({ event: z.string(), payload: z.unknown() });
export type WireEvent = z.infer<typeof WireEvent>;

// Binary frames: a message holding typed arrays (the heatmap's 2 M cell bytes) crosses the WebSocket as
// one binary frame instead of base64 inside JSON: no encoding in the host, no 2.7 MB string to stringify,
// send, parse and decode in the page (the bytes arrive as an ArrayBuffer and are used in place). Layout:
//   bytes 0–3  "COB1"
//   bytes 4–7  u32 LE: length H of the header
//   8 … 8+H    the header, JSON (UTF-8): the message with null where each typed array was, and the list
//              of attachments (path to the value, element type, byte offset, element count)
//   from D     the arrays' bytes: D is 8 + H rounded up to a multiple of 8, each array's offset counts from
//              D and is a multiple of 8 too (so the page can use the bytes in place)
// A message without typed arrays stays a JSON text frame. Typed arrays are in the host's byte order, which
// is the page's (both on this machine). The receiver puts each array back where its null is and then
// checks the whole message against the contract as usual.

const MAGIC = [0x43, 0x4f, 0x42, 0x31]; // "COB1"
const ALIGN = 8;

// Both exist as globals in Node and in every browser; shared/ is typed without either's library.
const utf8 = globalThis as unknown as {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new () => { decode(bytes: Uint8Array): string };
};

const VIEW_TYPES = {
  u8: Uint8Array,
  u16: Uint16Array,
  u32: Uint32Array,
  i32: Int32Array,
  f64: Float64Array,
} as const;
type ViewType = keyof typeof VIEW_TYPES;
type View = InstanceType<(typeof VIEW_TYPES)[ViewType]>;

const PathKey = z.union([z.string().max(256), z.number().int().nonnegative()]);
export const WireAttachment = z.object({
  path: z.array(PathKey).min(1).max(32),
  type: z.enum(Object.keys(VIEW_TYPES) as [ViewType, ...ViewType[]]),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
});
export type WireAttachment = z.infer<typeof WireAttachment>;
const WireFrameHeader = z.object({ message: z.unknown(), attachments: z.array(WireAttachment).max(4096) });

export class WireFrameError extends Error {
  constructor(
    message: string,
    /** The reply's id when the header could be read (so that call can be answered with the error). */
    readonly id: number | null = null,
  ) {
    super(message);
    this.name = 'WireFrameError';
  }
}

function viewType(v: ArrayBufferView): ViewType {
  for (const [name, ctor] of Object.entries(VIEW_TYPES) as [ViewType, (typeof VIEW_TYPES)[ViewType]][]) {
    // A Node Buffer is a Uint8Array too.
    if (v instanceof ctor && Object.getPrototypeOf(ctor.prototype) === Object.getPrototypeOf(Uint8Array.prototype)) return name;
  }
  throw new WireFrameError(`cannot send a ${v.constructor.name} (typed arrays only: ${Object.keys(VIEW_TYPES).join(', ')})`);
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `value` with each typed array replaced by null (copying only the objects on the way to one), and where they were. */
function extract(value: unknown, path: (string | number)[], found: { path: (string | number)[]; view: View; type: ViewType }[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) {
    found.push({ path: [...path], view: value as View, type: viewType(value) });
    return null;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === null || typeof item !== 'object') continue;
      path.push(i);
      const out = extract(item, path, found);
      path.pop();
      if (out !== item) (copy ??= value.slice())[i] = out;
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value; // Date and the like: JSON's own conversion applies
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === null || typeof item !== 'object') continue;
    path.push(key);
    const out = extract(item, path, found);
    path.pop();
    if (out !== item) (copy ??= { ...value })[key] = out;
  }
  return copy ?? value;
}

/** A message as the WebSocket carries it: JSON text, or one binary frame when it holds typed arrays. */
export function encodeWireMessage(message: unknown): string | Uint8Array {
  const found: { path: (string | number)[]; view: View; type: ViewType }[] = [];
  const stripped = extract(message, [], found);
  if (found.length === 0) return JSON.stringify(message);
  const attachments: WireAttachment[] = [];
  let at = 0;
  for (const f of found) {
    attachments.push({ path: f.path, type: f.type, offset: at, length: f.view.length });
    at += Math.ceil(f.view.byteLength / ALIGN) * ALIGN;
  }
  const header = new utf8.TextEncoder().encode(JSON.stringify({ message: stripped, attachments }));
  const dataStart = Math.ceil((8 + header.length) / ALIGN) * ALIGN;
  const frame = new Uint8Array(dataStart + at);
  frame.set(MAGIC, 0);
  new DataView(frame.buffer).setUint32(4, header.length, true);
  frame.set(header, 8);
  found.forEach((f, i) => frame.set(new Uint8Array(f.view.buffer, f.view.byteOffset, f.view.byteLength), dataStart + (attachments[i] as WireAttachment).offset));
  return frame;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Put `value` where the header left null for it; refuses any other place. */
function attach(message: unknown, path: readonly (string | number)[], value: View): void {
  let parent: unknown = message;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as string | number;
    if (parent === null || typeof parent !== 'object') throw new Error(`no object at ${path.slice(0, i).join('.')}`);
    if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) throw new Error(`refused key ${key}`);
    if (Array.isArray(parent) !== (typeof key === 'number')) throw new Error(`${path.slice(0, i + 1).join('.')} does not match the message`);
    if (!Object.prototype.hasOwnProperty.call(parent, key)) throw new Error(`nothing at ${path.slice(0, i + 1).join('.')}`);
    const record = parent as Record<string | number, unknown>;
    if (i === path.length - 1) {
      if (record[key] !== null) throw new Error(`${path.join('.')} is not a placeholder`);
      record[key] = value;
      return;
    }
    parent = record[key];
  }
}

/** The message a binary frame holds, its typed arrays in place (views on the frame where aligned). */
export function decodeWireFrame(frame: ArrayBuffer | Uint8Array): unknown {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) throw new WireFrameError('not a ClusterOps binary frame');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  if (8 + headerLength > bytes.length) throw new WireFrameError('binary frame shorter than its header');
  let header: z.infer<typeof WireFrameHeader>;
  try {
    header = WireFrameHeader.parse(JSON.parse(new utf8.TextDecoder().decode(bytes.subarray(8, 8 + headerLength))));
  } catch {
    throw new WireFrameError('binary frame header is not valid');
  }
  const { message, attachments } = header;
  const id = message !== null && typeof message === 'object' && typeof (message as { id?: unknown }).id === 'number' ? (message as { id: number }).id : null;
  const dataStart = Math.ceil((8 + headerLength) / ALIGN) * ALIGN;
  for (const a of attachments) {
    const ctor = VIEW_TYPES[a.type];
    const byteLength = a.length * ctor.BYTES_PER_ELEMENT;
    const from = dataStart + a.offset;
    if (a.offset % ALIGN !== 0 || from + byteLength > bytes.length) throw new WireFrameError(`attachment at ${a.path.join('.')} lies outside the frame`, id);
    const at = bytes.byteOffset + from;
    const view = at % ctor.BYTES_PER_ELEMENT === 0 ? new ctor(bytes.buffer as ArrayBuffer, at, a.length) : new ctor(bytes.slice(from, from + byteLength).buffer as ArrayBuffer);
    try {
      attach(message, a.path, view);
    } catch (err) {
      throw new WireFrameError(`attachment does not fit the message: ${(err as Error).message}`, id);
    }
  }
  return message;
}
