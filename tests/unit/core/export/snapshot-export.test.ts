// export snapshot: an online-backup copy pruned to the chosen clusters and range, that openStore opens
// read-only (the schema equals the code's), with nothing of the other clusters left in the file's bytes.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSnapshot } from '../../../../electron/core/export/snapshot-export';
import { openStore } from '../../../../electron/core/store/db';
import { RunsRepo } from '../../../../electron/core/store/runs-repo';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import { AsOf } from '../../../../electron/core/store/as-of';
import { openReadOnly } from '../../../../electron/core/runtime/live';
import { dispatch } from '../../../../electron/core/dispatch';
import { useTempDirs } from '../store/temp-dir';
import { COLLECTED, WINDOW, Z, usageStore } from './usage-fixture';

const tempDir = useTempDirs();

describe('export snapshot', () => {
  it('copies only the chosen cluster and range, opens read-only, and leaves the live store untouched', async () => {
    const dir = tempDir();
    const store = usageStore(dir);
    const out = path.join(dir, 'alpha.db');
    const report = await exportSnapshot(store.db, out, { clusters: ['alpha'], from: WINDOW.from, to: COLLECTED + 1 });
    expect(report.clusters).toEqual(['alpha']);
    expect(report.rows.clusters).toBe(1);
    const snap = openStore({ dataDir: dir, file: out, readonly: true });
    try {
      expect(new ClustersRepo(snap.db).list().map((c) => c.name)).toEqual(['alpha']);
      const runs = new RunsRepo(snap.db).inWindow(1, 0, 2 ** 40).map((r) => r.jobIdRaw);
      // Job 14 ended before the range; job 15 (Nov 3 01:00Z) started inside it.
      expect(runs).not.toContain(14);
      expect(runs).toEqual(expect.arrayContaining([10, 11, 12, 13, 15]));
      expect(new AsOf(snap.db).partitions('alpha')?.partitions.map((p) => p.name)).toEqual(['cpu', 'gpu']);
      const usageDays = (snap.db.prepare('SELECT DISTINCT day FROM usage_daily ORDER BY day').all() as { day: string }[]).map((r) => r.day);
      expect(usageDays[0]).toBe('2026-11-01');
      expect(() => snap.db.prepare('DELETE FROM runs').run()).toThrow();
    } finally {
      snap.close();
    }
    // Another console opens it read-only (as the web host's --snapshot does) and reports usage from it.
    const running = openReadOnly({ host: 'web', file: out, source: 'file' });
    const usage = (await dispatch(running.core.api, 'usage.report', { ...WINDOW, groupBy: ['cluster'] })) as { totals: { gpuHours: number } };
    expect(usage.totals.gpuHours).toBe(24);
    await running.close();
    // beta's names are not anywhere in the file (VACUUM INTO leaves no free pages with old rows).
    expect(readFileSync(out).includes(Buffer.from('production'))).toBe(false);
    expect(new RunsRepo(store.db).count(new ClustersRepo(store.db).idOf('beta'))).toBe(1);
    store.close();
  });

  it('keeps everything without a range or clusters, and refuses an existing file or unknown cluster', async () => {
    const dir = tempDir();
    const store = usageStore(dir);
    const out = path.join(dir, 'all.db');
    const report = await exportSnapshot(store.db, out, { clusters: [] });
    expect(report.rows).toMatchObject({ clusters: 2, runs: 8 });
    await expect(exportSnapshot(store.db, out, { clusters: [] })).rejects.toThrow(/exists/);
    await expect(exportSnapshot(store.db, path.join(dir, 'x.db'), { clusters: ['gamma'] })).rejects.toThrow(/gamma/);
    await expect(exportSnapshot(store.db, path.join(dir, 'y.db'), { clusters: [], from: Z(2026, 11, 2), to: Z(2026, 11, 1) })).rejects.toThrow(/empty/);
    expect(existsSync(path.join(dir, 'x.db'))).toBe(false);
    store.close();
  });
});
