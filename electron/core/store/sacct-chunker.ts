// Cut a byte stream of `sacct -P` output into its header line and line-aligned chunks of about `size`
// bytes, so several parse workers can each take whole lines. (Workers count a chunk's lines; the storing
// thread, which takes chunks in order, turns chunk line numbers into input line numbers.) '\n' never
// occurs inside a multi-byte UTF-8 sequence, so cutting bytes after a newline never splits a character.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface Chunk {
  seq: number;
  bytes: Uint8Array;
}

function toBytes(chunk: string | Uint8Array): Uint8Array {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/**
 * Yields `{ header }` first (the first line, without its newline; the whole input if it has no newline),
 * then the chunks: about `size` bytes of whole lines each (a longer line is a chunk of its own). The last
 * chunk may lack a final newline. Every yielded buffer is a fresh copy the consumer may transfer.
 */
export async function* sacctChunks(source: AsyncIterable<string | Uint8Array>, size = 1 << 20): AsyncGenerator<{ header: string } | Chunk> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  /** Offset (in the pending bytes) just after the last newline, 0 when there is none. */
  let cutAt = 0;
  let header: string | null = null;
  let seq = 0;
  const flat = (): Uint8Array => {
    if (pending.length !== 1) pending = [Buffer.concat(pending, pendingBytes)];
    return pending[0] as Uint8Array;
  };
  const take = (end: number): Uint8Array => {
    const all = flat();
    const out = new Uint8Array(all.subarray(0, end)); // a copy the consumer owns
    pending = end < all.length ? [all.subarray(end)] : [];
    pendingBytes -= end;
    cutAt -= end;
    return out;
  };
  const chunk = (end: number): Chunk => ({ seq: seq++, bytes: take(end) });
  for await (const piece of source) {
    let bytes = toBytes(piece);
    if (header === null) {
      const nl = bytes.indexOf(10);
      if (nl === -1) {
        pending.push(bytes);
        pendingBytes += bytes.length;
        continue;
      }
      // A byte-order mark (a file saved by a Windows editor) is not part of the first column's name.
      header = Buffer.concat([...pending, bytes.subarray(0, nl)]).toString('utf8').replace(/^\uFEFF/, '');
      pending = [];
      pendingBytes = 0;
      bytes = bytes.subarray(nl + 1);
      yield { header };
    }
    if (bytes.length === 0) continue;
    const last = bytes.lastIndexOf(10);
    if (last !== -1) cutAt = pendingBytes + last + 1;
    pending.push(bytes);
    pendingBytes += bytes.length;
    while (pendingBytes >= size && cutAt > 0) {
      const within = flat().lastIndexOf(10, size - 1) + 1;
      yield chunk(within > 0 ? within : cutAt);
    }
  }
  if (header === null) {
    yield { header: Buffer.concat(pending, pendingBytes).toString('utf8') };
    return;
  }
  while (pendingBytes > 0) {
    const within = pendingBytes > size ? flat().lastIndexOf(10, size - 1) + 1 : 0;
    yield chunk(within > 0 ? within : pendingBytes);
  }
}

// A file needs no cutting by the storing thread: each parse worker reads its own byte range straight from
// the file. A range [start, end) stands for the lines that *start* in it, so ranges of any size cover
// every line exactly once, a line longer than a range belonging to the range it starts in. (Reading on the
// storing thread made the workers wait: its reads only advanced between the batches it stored.)

export interface SacctFileStart {
  /** The first line, without its newline and byte-order mark (the whole file if it has no newline). */
  header: string;
  /** Offset of the first data line, and the file's size when opened. */
  dataStart: number;
  size: number;
}

const PIECE = 64 * 1024;

/** Read the header line of a sacct file. */
export function readSacctFileStart(file: string): SacctFileStart {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const pieces: Buffer[] = [];
    for (let at = 0; at < size; ) {
      const piece = Buffer.allocUnsafe(Math.min(PIECE, size - at));
      const n = readSync(fd, piece, 0, piece.length, at);
      if (n === 0) break;
      const nl = piece.subarray(0, n).indexOf(10);
      if (nl !== -1) {
        pieces.push(piece.subarray(0, nl));
        return { header: decodeHeader(Buffer.concat(pieces)), dataStart: at + nl + 1, size };
      }
      pieces.push(piece.subarray(0, n));
      at += n;
    }
    return { header: decodeHeader(Buffer.concat(pieces)), dataStart: size, size };
  } finally {
    closeSync(fd);
  }
}

function decodeHeader(bytes: Buffer): string {
  // A byte-order mark (a file saved by a Windows editor) is not part of the first column's name.
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/**
 * The bytes of the lines of `file` that start in [start, end), newlines included (the last line of the
 * file may lack one). `start` must be a line start or lie after one: the byte before it is looked at.
 */
export function readLinesStartingIn(file: string, start: number, end: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    // One byte before the range tells whether a line starts exactly at `start`.
    const from = Math.max(0, start - 1);
    const buf = Buffer.allocUnsafe(Math.max(0, end - from));
    const n = readFully(fd, buf, from);
    const head = buf.subarray(0, n);
    const begin = start === 0 ? 0 : head.indexOf(10) + 1;
    // No newline at all: no line starts in the range. A newline as its last byte: the next line starts at `end`.
    if ((start > 0 && begin === 0) || begin >= n) return Buffer.alloc(0);
    const pieces = [head.subarray(begin)];
    // Finish the last line: read on to its newline (or the end of the file).
    if (n === buf.length && head[n - 1] !== 10) {
      for (let at = end; ; ) {
        const piece = Buffer.allocUnsafe(PIECE);
        const got = readSync(fd, piece, 0, PIECE, at);
        if (got === 0) break;
        const nl = piece.subarray(0, got).indexOf(10);
        if (nl !== -1) {
          pieces.push(piece.subarray(0, nl + 1));
          break;
        }
        pieces.push(piece.subarray(0, got));
        at += got;
      }
    }
    return pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
  } finally {
    closeSync(fd);
  }
}

function readFully(fd: number, buf: Buffer, position: number): number {
  let n = 0;
  while (n < buf.length) {
    const got = readSync(fd, buf, n, buf.length - n, position + n);
    if (got === 0) break;
    n += got;
  }
  return n;
}
