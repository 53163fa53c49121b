// The Usage view's export: a save dialog first where the host has one (a fake desktop bridge here), the
// typed path where it answers `available: false` (as the web host does), every request checked against
// the contract's schemas.
import { describe, expect, it } from 'vitest';
import type { Api, RequestOf } from '../../../../../shared/api/contract';
import { SAVE_DIALOG_UNAVAILABLE, SaveFileRequest, type SaveFileResult } from '../../../../../shared/api/methods/dialogs';
import { UsageExportRequest } from '../../../../../shared/api/methods/usage';
import { defaultExportName, exportUsageFromView, withExtension, type ExportChoice } from '../../../../../renderer/src/views/usage/export-flow';

const Z = (y: number, mo: number, d: number, h = 0) => Date.UTC(y, mo - 1, d, h) / 1000;
const request = { clusters: ['alpha'], from: Z(2026, 11, 1, 23), to: Z(2026, 11, 8, 23), groupBy: ['account' as const, 'user' as const] };

function fakeBridge(dialog: () => Promise<SaveFileResult>) {
  const dialogs: RequestOf<'dialogs.saveFile'>[] = [];
  const exports: RequestOf<'usage.export'>[] = [];
  const api: Pick<Api, 'dialogs.saveFile' | 'usage.export'> = {
    'dialogs.saveFile': async (r) => {
      dialogs.push(SaveFileRequest.parse(r));
      return dialog();
    },
    'usage.export': async (r) => {
      const parsed = UsageExportRequest.parse(r);
      exports.push(r);
      return { path: parsed.path, manifestPath: `${parsed.path}.manifest.json`, rows: 3, bytes: 100, sha256: 'ab'.repeat(32) };
    },
  };
  return { api, dialogs, exports };
}

const choice = (over: Partial<ExportChoice> = {}): ExportChoice => ({
  request,
  format: 'parquet',
  defaultName: defaultExportName({ cluster: 'alpha', from: request.from, to: request.to, timeZone: 'Europe/Berlin', format: 'parquet' }),
  via: 'dialog',
  typedPath: '',
  ...over,
});

describe('usage export from the view', () => {
  it('suggests a name from cluster, window (in the report zone) and format', () => {
    expect(choice().defaultName).toBe('usage-alpha-2026-11-02_2026-11-09.parquet');
    expect(defaultExportName({ cluster: null, from: request.from, to: request.to, timeZone: 'UTC', format: 'xlsx' })).toBe('usage-all-clusters-2026-11-01_2026-11-08.xlsx');
    expect(defaultExportName({ cluster: 'beta', from: request.from, to: request.to, timeZone: 'Not/AZone', format: 'csv' })).toBe('usage-beta-2026-11-01_2026-11-08.csv');
  });

  it('desktop: asks for a save dialog with the name and the format filter, then exports to the chosen path', async () => {
    const chosen = '/home/me/Documents/nov.parquet';
    const bridge = fakeBridge(async () => ({ available: true, path: chosen }));
    const outcome = await exportUsageFromView(bridge.api, choice());
    expect(bridge.dialogs).toEqual([{ title: 'Export usage', defaultName: 'usage-alpha-2026-11-02_2026-11-09.parquet', filters: [{ name: 'Parquet', extensions: ['parquet'] }] }]);
    // The dialog asked before overwriting, so the export may replace the file.
    expect(bridge.exports).toEqual([{ ...request, format: 'parquet', path: chosen, overwrite: true }]);
    expect(outcome).toMatchObject({ kind: 'written', result: { path: chosen, rows: 3 } });
  });

  it('desktop: a bare name typed in the dialog gets the extension, and then must not overwrite', async () => {
    expect(withExtension('/home/me/Report.XLSX', 'xlsx')).toEqual({ path: '/home/me/Report.XLSX', overwrite: true });
    const bridge = fakeBridge(async () => ({ available: true, path: '/home/me/report' }));
    await exportUsageFromView(bridge.api, choice({ format: 'csv', defaultName: 'usage.csv' }));
    expect(bridge.dialogs[0]?.filters).toEqual([{ name: 'CSV (comma-separated values)', extensions: ['csv'] }]);
    expect(bridge.exports).toEqual([{ ...request, format: 'csv', path: '/home/me/report.csv', overwrite: false }]);
  });

  it('desktop: cancelling the dialog exports nothing', async () => {
    const bridge = fakeBridge(async () => ({ available: true, path: null }));
    expect(await exportUsageFromView(bridge.api, choice())).toEqual({ kind: 'cancelled' });
    expect(bridge.exports).toEqual([]);
  });

  it('web host: no dialog, so the typed path with the host reason as hint, remembered; then the typed path is exported', async () => {
    const bridge = fakeBridge(async () => ({ available: false, reason: SAVE_DIALOG_UNAVAILABLE }));
    expect(await exportUsageFromView(bridge.api, choice())).toEqual({ kind: 'needs-path', reason: SAVE_DIALOG_UNAVAILABLE, remember: true });
    expect(bridge.exports).toEqual([]);
    const outcome = await exportUsageFromView(bridge.api, choice({ via: 'typed', typedPath: '  /srv/reports/nov.parquet ' }));
    expect(bridge.dialogs).toHaveLength(1);
    expect(bridge.exports).toEqual([{ ...request, format: 'parquet', path: '/srv/reports/nov.parquet', overwrite: false }]);
    expect(outcome.kind).toBe('written');
    expect(await exportUsageFromView(bridge.api, choice({ via: 'typed', typedPath: ' ' }))).toMatchObject({ kind: 'needs-path', remember: false });
  });

  it('a dialog that fails falls back to the typed path for this time only, saying why', async () => {
    const bridge = fakeBridge(async () => {
      throw new Error('no window');
    });
    expect(await exportUsageFromView(bridge.api, choice())).toEqual({ kind: 'needs-path', reason: expect.stringMatching(/save dialog failed \(no window\).*type the full path/) as unknown as string, remember: false });
    expect(bridge.exports).toEqual([]);
  });

  it('an export error (e.g. the core refuses the path) reaches the view', async () => {
    const bridge = fakeBridge(async () => ({ available: true, path: '/home/me/x.parquet' }));
    bridge.api['usage.export'] = async () => {
      throw new Error('the export path must be absolute');
    };
    await expect(exportUsageFromView(bridge.api, choice())).rejects.toThrow(/absolute/);
  });
});
