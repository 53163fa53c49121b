// Writing an export file: to `<out>.partial` first and renamed only when complete, so a cron job that
// dies half-way never leaves a file that looks like a finished export; and backpressure-aware writes, so a
// large export streams at disk speed instead of piling up in memory.
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export class PartialFile {
  readonly partial: string;
  readonly stream: WriteStream;

  constructor(readonly target: string) {
    this.partial = `${target}.partial`;
    this.stream = createWriteStream(this.partial, { flags: 'w', mode: 0o644 });
  }

  /** Write, waiting for the disk when the stream's buffer is full. */
  async write(chunk: string): Promise<void> {
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async commit(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
    renameSync(this.partial, this.target);
  }

  abort(): void {
    this.stream.destroy();
    rmSync(this.partial, { force: true });
  }
}

/** Run `write` against a `.partial` of `target`; rename on success, remove it on failure. */
export async function writeAtomically(target: string, write: (partial: string) => Promise<void>): Promise<void> {
  const partial = `${target}.partial`;
  try {
    await write(partial);
    renameSync(partial, target);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}
