// XLSX through exceljs's streaming WorkbookWriter (rows are committed to the zip as they come; never the
// SheetJS `xlsx` package, frozen with known CVEs): a Summary sheet first (window, zone, totals, the
// counting rules), then one sheet per grouping. Amounts are numeric cells (Excel sums them), times are
// ISO-8601 text with the offset (an Excel date has no zone). A sheet holds at most 1,048,575 data rows;
// more is refused rather than cut.
import ExcelJS from 'exceljs';
import type { UsageRow } from '../../../shared/usage/usage-accumulator';
import { writeAtomically } from './stream-out';
import type { UsageTable } from './usage-table';

export interface XlsxSheet {
  name: string;
  table: UsageTable;
  rows: Iterable<UsageRow>;
}

export const XLSX_MAX_ROWS = 1_048_575;

/** A legal, unique sheet name (31 characters, none of []:*?/\). */
export function sheetName(wanted: string, taken: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet';
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)}_${i}`;
  taken.add(name.toLowerCase());
  return name;
}

/** Returns data rows written per sheet. */
export async function writeUsageXlsx(out: string, summary: readonly [string, string | number][], sheets: readonly XlsxSheet[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await writeAtomically(out, async (partial) => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: partial, useSharedStrings: false, useStyles: true });
    wb.creator = 'ClusterOps Console';
    const taken = new Set<string>();
    const s = wb.addWorksheet(sheetName('Summary', taken));
    s.columns = [{ width: 28 }, { width: 100 }];
    for (const [k, v] of summary) s.addRow([k, v]).commit();
    s.commit();
    for (const sheet of sheets) {
      const name = sheetName(sheet.name, taken);
      const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
      const header = ws.addRow(sheet.table.columns.map((c) => c.name));
      header.font = { bold: true };
      header.commit();
      const ts = sheet.table.columns.map((c) => c.type === 'timestamp');
      let n = 0;
      for (const row of sheet.rows) {
        if (++n > XLSX_MAX_ROWS) throw new RangeError(`sheet ${name} would have more than ${XLSX_MAX_ROWS} rows (the XLSX limit); export CSV or Parquet, or group coarser`);
        ws.addRow(sheet.table.cells(row).map((v, i) => (ts[i] ? sheet.table.iso(v as number) : v))).commit();
      }
      ws.commit();
      counts[name] = n;
    }
    await wb.commit();
  });
  return counts;
}
