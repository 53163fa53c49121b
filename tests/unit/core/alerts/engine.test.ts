// The alert engine on a real store filled by the snapshot writer: a drained node opens "GPUs out of
// service" from Slurm's reason time, the event history is stored, acknowledge / snooze go through the API,
// a resumed node resolves only after the hysteresis, a cluster whose data stops coming gets "data stale"
// and keeps its other alerts (no false "resolved"), repeat offenders come from the node samples, and the
// fleet overview counts active alerts.
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../../electron/core/core';
import { dispatch } from '../../../../electron/core/dispatch';
import { SnapshotWriter } from '../../../../electron/core/store/snapshot-writer';
import type { Store } from '../../../../electron/core/store/db';
import type { AlertNotice } from '../../../../electron/core/ports';
import type { AlertView } from '../../../../shared/api/methods/alerts';
import { gpuNode, job, storeWith } from '../store/builders';
import { useTempDirs } from '../store/temp-dir';

const tempDir = useTempDirs();
const T0 = 1_763_000_100;

function setup() {
  const store = storeWith(tempDir(), ['alpha', 'beta']);
  let nowMs = T0 * 1000;
  const notices: AlertNotice[] = [];
  const events: string[] = [];
  const core = createCore({ host: 'web', store, source: 'live', clock: { now: () => nowMs }, notifier: { notify: (n) => notices.push(n) } });
  core.on((e) => {
    if (e === 'alerts.changed') events.push(e);
  });
  const writer = new SnapshotWriter(store);
  const poll = async (t: number, drained: boolean, cluster = 'alpha') => {
    nowMs = t * 1000;
    const nodes = [
      gpuNode('gpu-01', { state: 'ALLOCATED', gpus: [{ type: 'a100', total: 8, used: 8, usedIndices: [0, 1, 2, 3, 4, 5, 6, 7] }] }),
      gpuNode(
        'gpu-02',
        drained
          ? { state: 'IDLE', flags: ['DRAIN'], reason: 'xid 79', reasonUser: 'root', reasonTime: T0 - 3600, gpus: [{ type: 'a100', total: 8, used: 0, usedIndices: [] }] }
          : { state: 'ALLOCATED', gpus: [{ type: 'a100', total: 8, used: 8, usedIndices: [0, 1, 2, 3, 4, 5, 6, 7] }] },
      ),
    ];
    writer.write({ cluster, startedAt: t - 2, finishedAt: t, nodes, queue: [job(100, { nodes: ['gpu-01'], nodesExpr: 'gpu-01', numNodes: 1, gpusPerNode: 8 })] });
    return core.context.alerts.evaluate(cluster);
  };
  return { store, core, notices, events, poll, setNow: (t: number) => (nowMs = t * 1000) };
}

async function list(core: ReturnType<typeof setup>['core'], scope: 'active' | 'resolved' | 'all' = 'active') {
  return (await dispatch(core.api, 'alerts.list', { scope })) as { alerts: AlertView[]; totals: { open: number; acknowledged: number; snoozed: number } };
}

describe('alert engine', () => {
  it('opens "GPUs out of service" for a node drained an hour ago, at the first evaluation, and notifies once', async () => {
    const { core, notices, events, poll } = setup();
    const r = await poll(T0, true);
    expect(r.evaluated).toBe(true);
    expect(r.events.map((e) => `${e.kind} ${e.rule} ${e.subject}`)).toEqual(['opened gpus-out-of-service reason:xid 79']);
    const { alerts, totals } = await list(core);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ cluster: 'alpha', status: 'open', since: T0 - 3600, openedAt: T0, links: { nodes: ['gpu-02'] } });
    expect(alerts[0]?.detail).toMatchObject({ gpus: 8, gpuHoursLost: 8 });
    expect(totals.open).toBe(1);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ alertId: alerts[0]?.id, cluster: 'alpha', severity: 'critical' }); // 8 GPUs out: critical
    expect(events).toEqual(['alerts.changed']);
    // The next poll with the node still drained updates in place: no new event, no second notice.
    const again = await poll(T0 + 60, true);
    expect(again.events).toEqual([]);
    expect(notices).toHaveLength(1);
    const fleet = (await dispatch(core.api, 'fleet.overview', {})) as { clusters: { name: string; openAlerts: number }[] };
    expect(fleet.clusters.find((c) => c.name === 'alpha')?.openAlerts).toBe(1);
  });

  it('acknowledges and snoozes through the API, with who and when in the history', async () => {
    const { core, poll, setNow } = setup();
    await poll(T0, true);
    const [a] = (await list(core)).alerts;
    const acked = (await dispatch(core.api, 'alerts.acknowledge', { id: a?.id })) as AlertView;
    expect(acked.status).toBe('acknowledged');
    expect(acked.ackAt).toBe(T0);
    expect(acked.ackBy).toBeTruthy();
    setNow(T0 + 10);
    const snoozed = (await dispatch(core.api, 'alerts.snooze', { id: a?.id, until: T0 + 3600 })) as AlertView;
    expect(snoozed).toMatchObject({ status: 'snoozed', snoozedUntil: T0 + 3600 });
    await expect(dispatch(core.api, 'alerts.snooze', { id: a?.id, until: T0 - 5 })).rejects.toThrow(/future/);
    await expect(dispatch(core.api, 'alerts.acknowledge', { id: 99_999 })).rejects.toThrow(/no alert with id 99999/);
    const totals = (await list(core)).totals;
    expect(totals).toMatchObject({ open: 0, acknowledged: 0, snoozed: 1 });
    // The snooze runs out at a later poll: the alert is back as acknowledged (it was acknowledged before).
    await poll(T0 + 3700, true);
    expect((await list(core)).alerts[0]).toMatchObject({ status: 'acknowledged', snoozedUntil: null });
    const h = (await dispatch(core.api, 'alerts.history', { alertId: a?.id })) as { events: { kind: string; by: string; at: number }[] };
    expect(h.events.map((e) => e.kind)).toEqual(['unsnoozed', 'snoozed', 'acknowledged', 'opened']);
    expect(h.events.find((e) => e.kind === 'opened')?.by).toBe('rules');
  });

  it('resolves a resumed node only after the condition stayed away for resolveAfterMinutes', async () => {
    const { core, poll } = setup();
    await poll(T0, true);
    expect((await poll(T0 + 60, false)).events).toEqual([]);
    expect((await list(core)).alerts[0]?.status).toBe('open');
    // Back before the hysteresis ran out: nothing happened.
    expect((await poll(T0 + 120, true)).events).toEqual([]);
    await poll(T0 + 180, false);
    const resolved = await poll(T0 + 180 + 300, false);
    expect(resolved.events.map((e) => e.kind)).toEqual(['resolved']);
    expect((await list(core)).alerts).toEqual([]);
    expect((await list(core, 'resolved')).alerts[0]).toMatchObject({ status: 'resolved', resolvedAt: T0 + 480 });
  });

  it('raises "data stale" for a cluster whose data stopped, and does not resolve its other alerts meanwhile', async () => {
    const { core, poll, setNow } = setup();
    await poll(T0, true);
    await poll(T0, false, 'beta');
    setNow(T0 + 16 * 60);
    const stale = await core.context.alerts.checkStale();
    const alpha = stale.find((s) => s.cluster === 'alpha');
    expect(alpha?.events.map((e) => `${e.kind} ${e.rule}`)).toEqual(['opened data-stale']);
    setNow(T0 + 3 * 3600);
    await core.context.alerts.checkStale();
    const { alerts } = await list(core);
    expect(alerts.map((a) => `${a.cluster} ${a.rule} ${a.status}`).sort()).toEqual([
      'alpha data-stale open',
      'alpha gpus-out-of-service open',
      'beta data-stale open',
    ]);
  });

  it('keeps alert writes away from a read-only store and validates settings', async () => {
    const { core } = setup();
    await expect(dispatch(core.api, 'alerts.saveSettings', { global: { idleUtilPct: 150 }, clusters: {} })).rejects.toThrow();
    const saved = await dispatch(core.api, 'alerts.saveSettings', { global: { outOfServiceMinutes: 0 }, clusters: { alpha: { partitions: { gpu: { idleUtilPct: 10 } } } } });
    expect(saved).toMatchObject({ global: { outOfServiceMinutes: 0 } });
    expect(await dispatch(core.api, 'alerts.settings', {})).toEqual(saved);
  });
});

export type { Store };
