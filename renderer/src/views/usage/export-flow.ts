// Where a usage export goes. The Usage view first asks the host for a native save dialog (dialogs.saveFile,
// suggested name from cluster, window and format, filtered to the format's extension); the desktop shell
// shows one and answers the chosen path, or null when the user cancelled. The web host answers
// `available: false` with the reason: the view then shows a path field with that reason as its hint, and
// remembers for the rest of the page's life, so the browser is not asked again. Either way the file is
// written by usage.export in the core.
import type { Api, RequestOf, ResponseOf } from '../../../../shared/api/contract';

export type UsageFormat = RequestOf<'usage.export'>['format'];
export type UsageExportResult = ResponseOf<'usage.export'>;
type ExportApi = Pick<Api, 'dialogs.saveFile' | 'usage.export'>;

export const FORMAT_FILTERS: Record<UsageFormat, { name: string; extensions: string[] }> = {
  csv: { name: 'CSV (comma-separated values)', extensions: ['csv'] },
  xlsx: { name: 'Excel workbook', extensions: ['xlsx'] },
  parquet: { name: 'Parquet', extensions: ['parquet'] },
  json: { name: 'JSON', extensions: ['json'] },
};

/** YYYY-MM-DD of an instant in a zone (UTC when the zone is unknown to this browser). */
function localDate(epochSeconds: number, timeZone: string): string {
  const parts = (zone: string) => new Intl.DateTimeFormat('en', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(epochSeconds * 1000));
  let p: Intl.DateTimeFormatPart[];
  try {
    p = parts(timeZone);
  } catch {
    p = parts('UTC');
  }
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The name the save dialog suggests, e.g. `usage-alpha-2026-11-01_2026-11-08.parquet` (dates in the report's zone). */
export function defaultExportName(o: { cluster: string | null; from: number; to: number; timeZone: string; format: UsageFormat }): string {
  const scope = o.cluster ? o.cluster.replace(/[^A-Za-z0-9._-]/g, '_') : 'all-clusters';
  return `usage-${scope}-${localDate(o.from, o.timeZone)}_${localDate(o.to, o.timeZone)}.${FORMAT_FILTERS[o.format].extensions[0] as string}`;
}

/**
 * A path chosen in a dialog, with the format's extension: GTK's dialog does not add it when the user types
 * a bare name. Only an unchanged path may overwrite, as only that one was confirmed in the dialog.
 */
export function withExtension(chosen: string, format: UsageFormat): { path: string; overwrite: boolean } {
  const ext = FORMAT_FILTERS[format].extensions[0] as string;
  return chosen.toLowerCase().endsWith(`.${ext}`) ? { path: chosen, overwrite: true } : { path: `${chosen}.${ext}`, overwrite: false };
}

export type ExportRequest = Omit<RequestOf<'usage.export'>, 'path' | 'overwrite' | 'format'>;

export type ExportOutcome =
  | { kind: 'written'; result: UsageExportResult }
  | { kind: 'cancelled' }
  /** Type a path instead: `remember` when the host has no dialogs at all (not for one failed dialog). */
  | { kind: 'needs-path'; reason: string; remember: boolean };

export interface ExportChoice {
  request: ExportRequest;
  format: UsageFormat;
  defaultName: string;
  /** 'dialog': ask the host for a save dialog first; 'typed': the host has none, use `typedPath`. */
  via: 'dialog' | 'typed';
  typedPath: string;
}

export async function exportUsageFromView(api: ExportApi, c: ExportChoice): Promise<ExportOutcome> {
  if (c.via === 'dialog') {
    let answer: ResponseOf<'dialogs.saveFile'>;
    try {
      answer = await api['dialogs.saveFile']({ title: 'Export usage', defaultName: c.defaultName, filters: [FORMAT_FILTERS[c.format]] });
    } catch (err) {
      return { kind: 'needs-path', reason: `The save dialog failed (${err instanceof Error ? err.message : String(err)}): type the full path of the file instead.`, remember: false };
    }
    if (!answer.available) return { kind: 'needs-path', reason: answer.reason, remember: true };
    if (answer.path === null) return { kind: 'cancelled' };
    const target = withExtension(answer.path, c.format);
    return { kind: 'written', result: await api['usage.export']({ ...c.request, format: c.format, ...target }) };
  }
  const typed = c.typedPath.trim();
  if (typed === '') return { kind: 'needs-path', reason: 'Type the full path of the file on the machine running the console.', remember: false };
  return { kind: 'written', result: await api['usage.export']({ ...c.request, format: c.format, path: typed, overwrite: false }) };
}

/** The host's answer that it has no save dialogs, kept for the page's life (null: not asked, or it has them). */
let noDialogReason: string | null = null;
export const dialogMemory = {
  get: (): string | null => noDialogReason,
  set: (reason: string | null): void => {
    noDialogReason = reason;
  },
};
