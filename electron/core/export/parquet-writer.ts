// Parquet with typed columns (readable by DuckDB, pandas, Arrow): strings as UTF-8 byte arrays (STRING
// logical type, UTF8 converted type), times as INT64 milliseconds with the TIMESTAMP logical type
// isAdjustedToUTC = true (UTC instants, so DuckDB reads TIMESTAMP WITH TIME ZONE and Arrow
// timestamp[ms, tz=UTC]; the legacy converted type alone reads as a zone-less TIMESTAMP), hours as DOUBLE,
// counts as INT64. The schema is spelled out rather than inferred so every reader sees the same types.
// hyparquet-writer pulls rows one row group at a time, so memory is bounded by the group size. The
// export's zone and rules travel in the file's key-value metadata as well as in the manifest.
import { fileWriter, parquetWriteRows } from 'hyparquet-writer';
import type { UsageRow } from '../../../shared/usage/usage-accumulator';
import { writeAtomically } from './stream-out';
import type { ColumnType, UsageColumn, UsageTable } from './usage-table';

/** hyparquet-writer's own SchemaElement (it carries its own copy of hyparquet, which may differ from ours). */
type SchemaElement = NonNullable<Parameters<typeof parquetWriteRows>[0]['schema']>[number];

const ELEMENT: Record<ColumnType, Omit<SchemaElement, 'name' | 'repetition_type'>> = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
  timestamp: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } },
  double: { type: 'DOUBLE' },
  int: { type: 'INT64' },
};

/** The file's schema: a root and one required leaf per column, in column order. */
export function usageParquetSchema(cols: readonly UsageColumn[]): SchemaElement[] {
  return [{ name: 'root', num_children: cols.length }, ...cols.map((c): SchemaElement => ({ name: c.name, repetition_type: 'REQUIRED', ...ELEMENT[c.type] }))];
}

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
      columns: cols.map((c) => ({ name: c.name })),
      schema: usageParquetSchema(cols),
      rows: records(),
      rowGroupSize: 100_000,
      kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      createdBy: 'clusterops-console',
    });
  });
  return n;
}
