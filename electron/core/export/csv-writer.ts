// CSV (RFC 4180: comma, CRLF line ends, quotes doubled, fields quoted when they need it), UTF-8 without a
// byte-order mark, one header line; times as ISO-8601 with the export zone's offset. Streamed through
// csv-stringify with backpressure.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stringify } from 'csv-stringify';
import type { UsageRow } from '../../../shared/usage/usage-accumulator';
import { writeAtomically } from './stream-out';
import type { UsageTable } from './usage-table';

export async function writeUsageCsv(out: string, table: UsageTable, rows: Iterable<UsageRow>): Promise<number> {
  let n = 0;
  await writeAtomically(out, async (partial) => {
    const file = createWriteStream(partial);
    const csv = stringify({ header: true, columns: table.columns.map((c) => c.name), record_delimiter: 'windows' });
    csv.pipe(file);
    const ts = table.columns.map((c) => c.type === 'timestamp');
    for (const row of rows) {
      const cells = table.cells(row).map((v, i) => (ts[i] ? table.iso(v as number) : v));
      if (!csv.write(cells)) await once(csv, 'drain');
      n++;
    }
    csv.end();
    await once(file, 'finish');
  });
  return n;
}
