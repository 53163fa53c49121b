// Parquet with typed columns (readable by DuckDB, pandas, Arrow): strings as UTF8 byte arrays, times as
// INT64 TIMESTAMP_MILLIS (UTC instants, as Parquet defines them), hours as DOUBLE, counts as INT64.
// hyparquet-writer pulls rows one row group at a time, so memory is bounded by the group size. The
// export's zone and rules travel in the file's key-value metadata as well as in the manifest.
import { fileWriter, parquetWriteRows } from 'hyparquet-writer';
import type { UsageRow } from '../../../shared/usage/usage-accumulator';
import { writeAtomically } from './stream-out';
import type { ColumnType, UsageTable } from './usage-table';

const PARQUET_TYPE: Record<ColumnType, 'STRING' | 'TIMESTAMP' | 'DOUBLE' | 'INT64'> = { string: 'STRING', timestamp: 'TIMESTAMP', double: 'DOUBLE', int: 'INT64' };

export async function writeUsageParquet(out: string, table: UsageTable, rows: Iterable<UsageRow>, metadata: Record<string, string>): Promise<number> {
  let n = 0;
  const cols = table.columns;
  function* records(): Generator<Record<string, unknown>> {
    for (const row of rows) {
      const cells = table.cells(row);
      const rec: Record<string, unknown> = {};
      for (let i = 0; i < cols.length; i++) {
        const c = cols[i] as (typeof cols)[number];
        const v = cells[i] as string | number;
        rec[c.name] = c.type === 'timestamp' ? new Date((v as number) * 1000) : c.type === 'int' ? BigInt(v) : v;
      }
      n++;
      yield rec;
    }
  }
  await writeAtomically(out, async (partial) => {
    await parquetWriteRows({
      writer: fileWriter(partial),
      columns: cols.map((c) => ({ name: c.name, type: PARQUET_TYPE[c.type], nullable: false })),
      rows: records(),
      rowGroupSize: 100_000,
      kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      createdBy: 'clusterops-console',
    });
  });
  return n;
}
