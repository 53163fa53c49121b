// usage.report and usage.export through the dispatcher (requests and responses checked against the
// contract), on the hand-computed store of the export tests.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UsageReport } from '../../../../shared/api/methods/usage';
import { createCore } from '../../../../electron/core/core';
import { dispatch } from '../../../../electron/core/dispatch';
import { useTempDirs } from '../store/temp-dir';
import { COLLECTED, WINDOW, usageStore } from '../export/usage-fixture';

const tempDir = useTempDirs();

function setup() {
  const dir = tempDir();
  const store = usageStore(dir);
  const core = createCore({ host: 'web', store, source: 'live', clock: { now: () => (COLLECTED + 60) * 1000 } });
  return { dir, core, store };
}

describe('usage API', () => {
  it('usage.report groups, rolls accounts up and returns the rules', async () => {
    const { core, store } = setup();
    const r = (await dispatch(core.api, 'usage.report', { from: WINDOW.from, to: WINDOW.to, timeZone: WINDOW.timeZone, groupBy: ['cluster', 'account'] })) as UsageReport;
    const own = Object.fromEntries(r.rows.filter((x) => x.scope === 'own').map((x) => [x.keys.join('/'), x.gpuHours]));
    expect(own).toEqual({ 'alpha/nlp': 8, 'alpha/vision': 16, 'beta/production': 8 });
    expect(r.rows.find((x) => x.scope === 'tree' && x.keys.join('/') === 'alpha/root')?.gpuHours).toBe(24);
    expect(r.totals).toMatchObject({ gpuHours: 32, runs: 6, jobs: 5, runningRuns: 1, preemptedGpuHours: 4 });
    expect(r.truncated).toBe(false);
    expect(r.rules.length).toBeGreaterThan(5);
    store.close();
  });

  it('usage.report refuses bad input with bad-request errors', async () => {
    const { core, store } = setup();
    await expect(dispatch(core.api, 'usage.report', { from: WINDOW.to, to: WINDOW.from })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(dispatch(core.api, 'usage.report', { from: WINDOW.from, to: WINDOW.to, groupBy: ['day', 'week'] })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(dispatch(core.api, 'usage.report', { from: WINDOW.from, to: WINDOW.to, clusters: ['gamma'] })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(dispatch(core.api, 'usage.report', { from: WINDOW.from, to: WINDOW.to, timeZone: 'Nowhere/Land' })).rejects.toMatchObject({ code: 'bad-request' });
    store.close();
  });

  it('usage.export writes the file and manifest, and will not overwrite unless asked', async () => {
    const { core, dir, store } = setup();
    const file = path.join(dir, 'u.parquet');
    const req = { from: WINDOW.from, to: WINDOW.to, timeZone: 'UTC', format: 'parquet', path: file };
    const res = (await dispatch(core.api, 'usage.export', req)) as { manifestPath: string; sha256: string; rows: number };
    expect(existsSync(file)).toBe(true);
    expect((JSON.parse(readFileSync(res.manifestPath, 'utf8')) as { dataFile: { sha256: string } }).dataFile.sha256).toBe(res.sha256);
    await expect(dispatch(core.api, 'usage.export', req)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(dispatch(core.api, 'usage.export', { ...req, overwrite: true })).resolves.toMatchObject({ rows: res.rows });
    await expect(dispatch(core.api, 'usage.export', { ...req, path: 'relative.csv' })).rejects.toMatchObject({ code: 'bad-request' });
    store.close();
  });
});
