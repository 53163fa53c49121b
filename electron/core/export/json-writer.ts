// JSON: `{ "columns": [{name, type}], "rows": [{column: value}] }`, numbers as JSON numbers, times as
// ISO-8601 with the export zone's offset. Written row by row.
import type { UsageRow } from '../../../shared/usage/usage-accumulator';
import { PartialFile } from './stream-out';
import type { UsageTable } from './usage-table';

export async function writeUsageJson(out: string, table: UsageTable, rows: Iterable<UsageRow>): Promise<number> {
  const file = new PartialFile(out);
  let n = 0;
  try {
    await file.write(`{"columns":${JSON.stringify(table.columns)},"rows":[`);
    const names = table.columns.map((c) => JSON.stringify(c.name));
    const ts = table.columns.map((c) => c.type === 'timestamp');
    for (const row of rows) {
      const cells = table.cells(row);
      const parts = cells.map((v, i) => `${names[i]}:${JSON.stringify(ts[i] ? table.iso(v as number) : v)}`);
      await file.write(`${n === 0 ? '\n' : ',\n'}{${parts.join(',')}}`);
      n++;
    }
    await file.write('\n]}\n');
    await file.commit();
  } catch (err) {
    file.abort();
    throw err;
  }
  return n;
}
