import { describe, expect, it } from 'vitest';
import type { ActionPreview } from '../../../../shared/api/methods/actions';
import { AuditRepo } from '../../../../electron/core/store/audit-repo';
import { ClustersRepo } from '../../../../electron/core/store/clusters-repo';
import { openStore } from '../../../../electron/core/store/db';
import { DEFAULT_RETENTION, pruneOld } from '../../../../electron/core/store/retention';
import { clusterConfig } from './builders';
import { useTempDirs } from './temp-dir';

const preview: ActionPreview = {
  cluster: 'alpha', action: 'requeue', clusterUser: 'opsuser', adminLevel: 'None', coordinatorOf: [], checkedAt: 1000, confirmNameAbove: 20,
  jobs: [], totals: { selected: 0, willRun: 0, skipped: 0, bySkip: {}, gpusFreed: 0, gpuHoursLost: 0, users: [], accounts: [] },
};

describe('AuditRepo', () => {
  const tempDir = useTempDirs();

  function begin(repo: AuditRepo, parentId: number | null = null) {
    return repo.begin({ cluster: 'alpha', action: 'requeue', origin: parentId ? 'retry' : 'run', parentId, localUser: 'me', clusterUser: 'opsuser', adminLevel: 'None', startedAt: 1000, selection: { jobIds: ['1', '2'] }, preview, options: { batchSize: 1, pauseMs: 0 } });
  }

  it('records an action, its results batch by batch, and its end; lists newest first', () => {
    const store = openStore({ dataDir: tempDir() });
    const repo = new AuditRepo(store.db);
    const id = begin(repo);
    expect(repo.get(id)).toMatchObject({ outcome: null, finishedAt: null, results: [] });
    repo.appendResults(id, [{ jobId: '1', jobIdRaw: 1, status: 'done', retryable: false, message: null, exitCode: 0, batch: 1, at: 1001 }]);
    repo.appendResults(id, [{ jobId: '2', jobIdRaw: 2, status: 'failed', retryable: false, message: 'Access/permission denied for job 2', exitCode: 1, batch: 2, at: 1002 }]);
    repo.end(id, 1003, 'completed');
    const second = begin(repo, id);
    const r = repo.get(id);
    expect(r).toMatchObject({ outcome: 'completed', finishedAt: 1003, localUser: 'me', selection: { jobIds: ['1', '2'] }, counts: { done: 1, failed: 1, unknown: 0, cancelled: 0, skipped: 0 } });
    expect(r.results.map((x) => [x.jobId, x.status, x.message])).toEqual([['1', 'done', null], ['2', 'failed', 'Access/permission denied for job 2']]);
    expect(repo.list().map((a) => a.id)).toEqual([second, id]);
    expect(repo.list({ cluster: 'beta' })).toEqual([]);
    expect(() => repo.get(999)).toThrow(/no action 999/);
    store.close();
  });

  it('is append-only: UPDATE and DELETE are refused, a second end or a duplicate result too', () => {
    const store = openStore({ dataDir: tempDir() });
    const repo = new AuditRepo(store.db);
    const id = begin(repo);
    repo.appendResults(id, [{ jobId: '1', jobIdRaw: 1, status: 'done', retryable: false, message: null, exitCode: 0, batch: 1, at: 1001 }]);
    repo.end(id, 1003, 'completed');
    for (const sql of ["UPDATE actions SET cluster = 'x'", 'DELETE FROM actions', "UPDATE action_results SET status = 'failed'", 'DELETE FROM action_results', 'DELETE FROM action_ends', "UPDATE action_ends SET outcome = 'failed'"]) {
      expect(() => store.db.prepare(sql).run(), sql).toThrow(/append-only/);
    }
    expect(() => repo.end(id, 1004, 'failed')).toThrow();
    expect(() => repo.appendResults(id, [{ jobId: '1', jobIdRaw: 1, status: 'done', retryable: false, message: null, exitCode: 0, batch: 1, at: 1001 }])).toThrow();
    expect(repo.get(id).results).toHaveLength(1);
    store.close();
  });

  it('survives retention pruning and the removal of the cluster', () => {
    const store = openStore({ dataDir: tempDir() });
    const clusters = new ClustersRepo(store.db);
    clusters.save(clusterConfig('alpha'), 1);
    const repo = new AuditRepo(store.db);
    const id = begin(repo);
    repo.end(id, 1003, 'completed');
    pruneOld(store.db, 10_000_000_000, { ...DEFAULT_RETENTION, snapshotDays: 1, sampleDays: 1, runDays: 1 });
    expect(clusters.remove('alpha')).toBe(true);
    expect(repo.get(id).cluster).toBe('alpha');
    store.close();
  });
});
