// actions.* through the dispatcher: the audit log read back validates against the contract, bad requests
// are refused before the core, and a core without connections (example / file) refuses to act.
import { describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../../../shared/api/methods/actions';
import { createCore } from '../../../../electron/core/core';
import { dispatch } from '../../../../electron/core/dispatch';
import { AuditRepo } from '../../../../electron/core/store/audit-repo';
import { storeWith } from '../store/builders';
import { useTempDirs } from '../store/temp-dir';

const tempDir = useTempDirs();

function setup() {
  const store = storeWith(tempDir(), ['alpha']);
  const repo = new AuditRepo(store.db);
  const preview = {
    cluster: 'alpha', action: 'requeuehold' as const, clusterUser: 'opsoper', adminLevel: 'Operator', coordinatorOf: [], checkedAt: 1000, confirmNameAbove: 20,
    jobs: [{ jobId: '5', jobIdRaw: 5, requested: '5', user: 'alice', account: 'nlp', partition: 'gpu', state: 'RUNNING', reason: null, gpus: 4, runSeconds: 600, restarts: 0, willRun: true, skip: null, why: null }],
    totals: { selected: 1, willRun: 1, skipped: 0, bySkip: {}, gpusFreed: 4, gpuHoursLost: 0.67, users: ['alice'], accounts: ['nlp'] },
  };
  const id = repo.begin({ cluster: 'alpha', action: 'requeuehold', origin: 'run', parentId: null, localUser: 'me', clusterUser: 'opsoper', adminLevel: 'Operator', startedAt: 1000, selection: { jobIds: ['5'] }, preview, options: { batchSize: 50, pauseMs: 2000 } });
  repo.appendResults(id, [{ jobId: '5', jobIdRaw: 5, status: 'done', retryable: false, message: null, exitCode: 0, batch: 1, at: 1001 }]);
  repo.end(id, 1002, 'completed');
  return { store, core: createCore({ host: 'web', store, source: 'file' }), id };
}

describe('actions.* methods', () => {
  it('actions.list returns the log, valid against the contract', async () => {
    const { core, id } = setup();
    const list = (await dispatch(core.api, 'actions.list', {})) as ActionRecord[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id, action: 'requeuehold', outcome: 'completed', counts: { done: 1 } });
    expect(await dispatch(core.api, 'actions.list', { cluster: 'beta' })).toEqual([]);
  });

  it('refuses malformed requests and acting without live clusters', async () => {
    const { core, id } = setup();
    await expect(dispatch(core.api, 'actions.preview', { cluster: 'alpha', action: 'requeue', selection: {} })).rejects.toThrow(/either jobIds or filter/);
    await expect(dispatch(core.api, 'actions.run', { cluster: 'alpha', action: 'scancel', selection: { jobIds: ['1'] } })).rejects.toThrow(/invalid request/);
    await expect(dispatch(core.api, 'actions.run', { cluster: 'alpha', action: 'requeue', selection: { jobIds: ['1'] }, options: { batchSize: 0 } })).rejects.toThrow(/batchSize/);
    await expect(dispatch(core.api, 'actions.undo', { actionId: id })).rejects.toMatchObject({ code: 'unavailable' });
    expect(await dispatch(core.api, 'actions.cancel', { actionId: id })).toEqual({ cancelled: false });
  });
});
