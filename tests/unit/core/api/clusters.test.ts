// The clusters & settings core methods on a real store (no connections): list, add, edit, remove,
// retention, snapshot times, and the read-only refusals of example data.
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../../electron/core/core';
import { dispatch } from '../../../../electron/core/dispatch';
import { openStore } from '../../../../electron/core/store/db';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import { clusterConfig, storeWith } from '../store/builders';
import { useTempDirs } from '../store/temp-dir';

const tempDir = useTempDirs();
const clock = (t: number) => ({ now: () => t * 1000 });

describe('clusters & settings methods', () => {
  it('adds, lists, edits and removes a cluster; names stay unique', async () => {
    const store = openStore({ dataDir: tempDir() });
    const events: string[] = [];
    const core = createCore({ host: 'web', store, source: 'live', clock: clock(1_700_000_000) });
    core.on((e) => events.push(e));
    const config = { ...clusterConfig('gamma'), poll: { queue: 120, accounting: 600, fairshare: 1800 } };
    const added = await dispatch(core.api, 'clusters.save', { config, isNew: true });
    expect(added).toMatchObject({ config, problems: [], probe: null, lastSyncAt: null, snapshotCount: 0, connection: null });
    await expect(dispatch(core.api, 'clusters.save', { config, isNew: true })).rejects.toThrow(/exists already/);
    await dispatch(core.api, 'clusters.save', { config: { ...config, port: 2222 }, isNew: false });
    const list = core.api['clusters.list']({});
    await expect(list).resolves.toMatchObject({ source: 'live', readonlyReason: null, connected: false, clusters: [{ config: { name: 'gamma', port: 2222 } }] });
    await expect(dispatch(core.api, 'clusters.save', { config: { ...config, name: 'delta' }, isNew: false })).rejects.toThrow(/no cluster named delta/);
    await expect(dispatch(core.api, 'clusters.remove', { name: 'gamma' })).resolves.toEqual({ removed: true });
    await expect(dispatch(core.api, 'clusters.remove', { name: 'gamma' })).resolves.toEqual({ removed: false });
    expect(events).toEqual(['clusters.changed', 'clusters.changed', 'clusters.changed']);
    store.close();
  });

  it('refuses a bad configuration with the field and the reason', async () => {
    const store = openStore({ dataDir: tempDir() });
    const core = createCore({ host: 'web', store, source: 'live' });
    await expect(core.api['clusters.save']({ config: { ...clusterConfig('x'), port: 0 }, isNew: true })).rejects.toThrow('port: from 1 to 65535');
    store.close();
  });

  it('saves retention within limits and reports the stored values', async () => {
    const store = openStore({ dataDir: tempDir() });
    const core = createCore({ host: 'web', store, source: 'live' });
    await expect(dispatch(core.api, 'settings.saveRetention', { sampleDays: 7, runDays: null })).resolves.toEqual({
      retention: { fullSnapshots: 10, snapshotDays: 30, sampleDays: 7, runDays: null },
      pruned: { snapshots: 0, spans: 0, sampleRows: 0, reasons: 0, runs: 0, usageRows: 0 },
    });
    await expect(dispatch(core.api, 'settings.saveRetention', { sampleDays: 0 })).rejects.toThrow(/sampleDays/);
    expect((await core.api['clusters.list']({})).retention.sampleDays).toBe(7);
    store.close();
  });

  it('example data lists its clusters but refuses every change, and cannot test or sync', async () => {
    const dir = tempDir();
    storeWith(dir, ['alpha']).close();
    const store = openStore({ dataDir: dir, readonly: true });
    const core = createCore({ host: 'web', store, source: 'example' });
    const list = await dispatch(core.api, 'clusters.list', {});
    expect(list).toMatchObject({ source: 'example', connected: false, readonlyReason: expect.stringMatching(/example data/) });
    await expect(core.api['clusters.save']({ config: clusterConfig('beta'), isNew: true })).rejects.toThrow(/example data/);
    await expect(core.api['clusters.remove']({ name: 'alpha' })).rejects.toThrow(/example data/);
    await expect(core.api['settings.saveRetention']({ sampleDays: 3 })).rejects.toThrow(/example data/);
    await expect(core.api['clusters.test']({ config: clusterConfig('alpha') })).rejects.toThrow(/keeps no connections/);
    await expect(core.api['clusters.syncNow']({ name: 'alpha' })).rejects.toThrow(/keeps no connections/);
    await expect(core.api['hostKeys.answer']({ id: 'x', answer: 'reject' })).resolves.toEqual({ accepted: false });
    store.close();
  });

  it('snapshot times: newest first, per cluster or all, with kinds and the span', async () => {
    const store = storeWith(tempDir(), ['alpha', 'beta']);
    const writer = new SnapshotWriter(store);
    const at = [1_700_000_100, 1_700_000_200, 1_700_000_300];
    writer.write({ cluster: 'alpha', startedAt: at[0]! - 5, finishedAt: at[0]!, nodes: [] });
    writer.write({ cluster: 'beta', startedAt: at[1]! - 5, finishedAt: at[1]!, nodes: [], queue: [] });
    writer.write({ cluster: 'alpha', startedAt: at[2]! - 5, finishedAt: at[2]!, queue: [] });
    const core = createCore({ host: 'web', store, source: 'live' });
    const all = await dispatch(core.api, 'snapshots.list', {});
    expect(all).toEqual({
      times: [
        { at: at[2], cluster: 'alpha', kinds: ['queue'] },
        { at: at[1], cluster: 'beta', kinds: ['nodes', 'queue'] },
        { at: at[0], cluster: 'alpha', kinds: ['nodes'] },
      ],
      total: 3,
      oldest: at[0],
      newest: at[2],
    });
    const alpha = await core.api['snapshots.list']({ cluster: 'alpha', limit: 1 });
    expect(alpha).toEqual({ times: [{ at: at[2], cluster: 'alpha', kinds: ['queue'] }], total: 2, oldest: at[0], newest: at[2] });
    store.close();
  });
});
