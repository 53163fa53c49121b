// Cut a byte stream of `sacct -P` output into its header line and line-aligned chunks of about `size`
// bytes, so several parse workers can each take whole lines. (Workers count a chunk's lines; the storing
// thread, which takes chunks in order, turns chunk line numbers into input line numbers.) '\n' never
// occurs inside a multi-byte UTF-8 sequence, so cutting bytes after a newline never splits a character.

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
