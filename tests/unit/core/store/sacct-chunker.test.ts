import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLinesStartingIn, readSacctFileStart, sacctChunks, type Chunk } from '../../../../electron/core/store/sacct-chunker';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

async function collect(pieces: (string | Uint8Array)[], size: number) {
  const out: ({ header: string } | Chunk)[] = [];
  for await (const x of sacctChunks((async function* () { yield* pieces; })(), size)) out.push(x);
  return out;
}

describe('sacctChunks', () => {
  it('gives the header, then whole-line chunks in order, whatever the piece sizes', async () => {
    const lines = ['A|B|Name', ...Array.from({ length: 500 }, (_, i) => `${i}|x|prétraitement-${i}`)];
    const text = `${lines.join('\n')}\n`;
    const bytes = Buffer.from(text);
    for (const pieceSize of [1, 3, 7, 64, 1000, bytes.length]) {
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; at += pieceSize) pieces.push(bytes.subarray(at, at + pieceSize));
      const out = await collect(pieces, 512);
      expect(out[0]).toEqual({ header: 'A|B|Name' });
      const chunks = out.slice(1) as Chunk[];
      expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
      for (const c of chunks) expect(Buffer.from(c.bytes).toString('utf8').endsWith('\n')).toBe(true);
      expect(chunks.map((c) => Buffer.from(c.bytes).toString('utf8')).join('')).toBe(`${lines.slice(1).join('\n')}\n`);
      expect(chunks.length).toBeGreaterThan(5); // ~512 bytes each, even from one big piece
      expect(chunks.every((c) => c.bytes.length <= 512 + 40)).toBe(true);
    }
  });

  it('drops a UTF-8 byte-order mark before the header', async () => {
    const out = await collect([Buffer.from('\uFEFFJobID|User\r\n1|a\r\n')], 1 << 20);
    expect(out[0]).toEqual({ header: 'JobID|User\r' }); // the parser drops the \r of CRLF lines
  });

  it('keeps a last line without newline, and an input that is only a header', async () => {
    const out = await collect(['H1|H2\n1|2\n3|', '4'], 1 << 20);
    expect(out).toHaveLength(2);
    expect(Buffer.from((out[1] as Chunk).bytes).toString()).toBe('1|2\n3|4');
    expect(await collect(['only a header, no newline'], 10)).toEqual([{ header: 'only a header, no newline' }]);
    expect(await collect([], 10)).toEqual([{ header: '' }]);
  });
});

describe('file ranges', () => {
  /** The pieces workers get for ranges of `size` bytes after the header, as readLinesStartingIn reads them. */
  function pieces(file: string, size: number): Buffer[] {
    const { dataStart, size: end } = readSacctFileStart(file);
    const out: Buffer[] = [];
    for (let start = dataStart; start < end; start += size) out.push(readLinesStartingIn(file, start, Math.min(end, start + size)));
    return out;
  }

  it('cover every line after the header exactly once, as whole lines, whatever the range size', () => {
    const lines = ['JobID|Name', ...Array.from({ length: 300 }, (_, i) => `${i}|${'prétraitement-'.repeat(i % 13)}${i}`)];
    const file = path.join(tempDir(), 'in.txt');
    for (const tail of ['\n', '']) {
      writeFileSync(file, `\uFEFF${lines.join('\n')}${tail}`);
      expect(readSacctFileStart(file).header).toBe('JobID|Name');
      for (const size of [1, 2, 7, 64, 100, 1000, 1 << 20]) {
        const got = pieces(file, size);
        expect(Buffer.concat(got).toString('utf8')).toBe(`${lines.slice(1).join('\n')}${tail}`);
        // each piece is whole lines: it ends with a newline, except the file's last line without one
        const filled = got.filter((p) => p.length > 0);
        filled.forEach((p, i) => {
          if (!(tail === '' && i === filled.length - 1)) expect(p[p.length - 1]).toBe(10);
        });
      }
    }
  });

  it('reads a header-only file, with or without its newline, and an empty one', () => {
    const dir = tempDir();
    for (const [text, header] of [['A|B\r\n', 'A|B\r'], ['A|B', 'A|B'], ['', '']] as const) {
      const file = path.join(dir, 'h.txt');
      writeFileSync(file, text);
      const start = readSacctFileStart(file);
      expect(start).toEqual({ header, dataStart: text.length, size: text.length });
    }
  });
});
