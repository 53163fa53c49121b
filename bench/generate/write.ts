// Write generated outputs to files, in chunks, so a million rows never sit in memory as one string.
import { closeSync, openSync, writeSync } from 'node:fs';
import { buildCluster } from './cluster';
import { SacctGenerator, type SacctOptions } from './sacct';

/** Write `sacct -a -D -X -P` output (header line first, as sacct prints it without -n). Returns bytes. */
export function writeSacctFile(file: string, opts: SacctOptions): { rows: number; bytes: number } {
  const gen = new SacctGenerator(buildCluster(opts.seed ?? 42), opts);
  const fd = openSync(file, 'w');
  let bytes = 0;
  let rows = 0;
  let chunk: string[] = [gen.header()];
  const flush = () => {
    const text = `${chunk.join('\n')}\n`;
    bytes += writeSync(fd, text);
    chunk = [];
  };
  try {
    for (const line of gen.lines()) {
      chunk.push(line);
      rows++;
      if (chunk.length >= 10_000) flush();
    }
    if (chunk.length > 0) flush();
  } finally {
    closeSync(fd);
  }
  return { rows, bytes };
}
