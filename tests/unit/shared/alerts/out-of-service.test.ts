import { describe, expect, it } from 'vitest';
import { advance } from '../../../../shared/alerts/lifecycle';
import { gpusOutOfService, outOfServiceClass, outOfServiceFindings, reasonGroup, repeatOffenderFindings } from '../../../../shared/alerts/rules/out-of-service';
import type { AlertSettings, Finding } from '../../../../shared/alerts/types';
import { gpus, input, MIN, node, settings, T0 } from './builders';

const drained = (name: string, reason: string | null, reasonTime: number | null, over: Parameters<typeof node>[1] = {}) =>
  node(name, { flags: ['DRAIN'], reason, reasonUser: reason ? 'root' : null, reasonTime, ...over });

function only(findings: Finding[]): Finding {
  expect(findings).toHaveLength(1);
  return findings[0] as Finding;
}

describe('outOfServiceClass / gpusOutOfService', () => {
  it('classifies the states that take GPUs out of service', () => {
    expect(outOfServiceClass({ state: 'DOWN', flags: ['NOT_RESPONDING'] })).toBe('down');
    expect(outOfServiceClass({ state: 'ERROR', flags: [] })).toBe('down');
    expect(outOfServiceClass({ state: 'ALLOCATED', flags: ['FAIL'] })).toBe('fail');
    expect(outOfServiceClass({ state: 'IDLE', flags: ['NOT_RESPONDING'] })).toBe('not-responding');
    expect(outOfServiceClass({ state: 'IDLE', flags: ['DRAIN'] })).toBe('drain');
    expect(outOfServiceClass({ state: 'MIXED', flags: ['DRAIN'] })).toBe('drain');
    expect(outOfServiceClass({ state: 'UNKNOWN', flags: ['INVALID_REG'] })).toBe('invalid');
  });

  it('leaves in-service, powered-down, future and maintenance nodes alone', () => {
    expect(outOfServiceClass({ state: 'MIXED', flags: [] })).toBeNull();
    expect(outOfServiceClass({ state: 'IDLE', flags: ['POWERED_DOWN'] })).toBeNull();
    expect(outOfServiceClass({ state: 'IDLE', flags: ['CLOUD', 'POWERED_DOWN'] })).toBeNull();
    expect(outOfServiceClass({ state: 'IDLE', flags: ['POWERING_UP'] })).toBeNull();
    expect(outOfServiceClass({ state: 'FUTURE', flags: [] })).toBeNull();
    expect(outOfServiceClass({ state: 'IDLE', flags: ['RESERVED'] })).toBeNull();
    // Planned maintenance wins even over a down or drained state.
    expect(outOfServiceClass({ state: 'DOWN', flags: ['MAINTENANCE'] })).toBeNull();
    expect(outOfServiceClass({ state: 'IDLE', flags: ['DRAIN', 'MAINTENANCE'] })).toBeNull();
  });

  it('counts only the unallocated GPUs of a draining or failing node, all GPUs of a down one', () => {
    expect(gpusOutOfService(node('n', { state: 'MIXED', flags: ['DRAIN'], gpus: gpus(['a100', 8, 5]) }))).toBe(3);
    expect(gpusOutOfService(node('n', { state: 'ALLOCATED', flags: ['DRAIN'], gpus: gpus(['a100', 8, 8]) }))).toBe(0);
    expect(gpusOutOfService(node('n', { state: 'ALLOCATED', flags: ['FAIL'], gpus: gpus(['a100', 4, 1]) }))).toBe(3);
    expect(gpusOutOfService(node('n', { state: 'DOWN', flags: [], gpus: gpus(['a100', 8, 2]) }))).toBe(8);
    expect(gpusOutOfService(node('n', { state: 'MIXED', flags: ['NOT_RESPONDING'], gpus: gpus(['a100', 4, 2]) }))).toBe(4);
    // Mixed types add up; more used than total (a stale count) never goes negative.
    expect(gpusOutOfService(node('n', { state: 'MIXED', flags: ['DRAIN'], gpus: gpus(['a100', 4, 1], ['v100', 2, 0]) }))).toBe(5);
    expect(gpusOutOfService(node('n', { state: 'MIXED', flags: ['DRAIN'], gpus: gpus(['a100', 4, 6]) }))).toBe(0);
    expect(gpusOutOfService(node('n', { state: 'MIXED', flags: [] }))).toBe(0);
  });

  it('groups by reason text with whitespace collapsed, or by state without a reason', () => {
    expect(reasonGroup(drained('a', '  xid   79 ', null))).toBe('reason:xid 79');
    expect(reasonGroup(drained('a', '', null))).toBe('state:drain');
    expect(reasonGroup(node('a', { state: 'DOWN', flags: ['NOT_RESPONDING'] }))).toBe('state:down');
    expect(reasonGroup(node('a'))).toBe('state:unknown');
  });
});

describe('outOfServiceFindings', () => {
  it('groups two nodes with the same reason into one finding, with GPU-hours lost from the reason times', () => {
    const nodes = [
      drained('gpu-10', 'xid 79', T0 - 2 * 3600),
      drained('gpu-2', 'xid 79', T0 - 1800),
      node('gpu-03'), // in service
    ];
    const f = only(outOfServiceFindings(input({ nodes }), settings()));
    expect(f.rule).toBe('gpus-out-of-service');
    expect(f.subject).toBe('reason:xid 79');
    expect(f.title).toBe('8 GPUs out of service on 2 nodes: xid 79');
    // Nodes in natural order: gpu-2 before gpu-10.
    expect(f.body).toBe('gpu-2 (drained, 4/4 GPUs), gpu-10 (drained, 4/4 GPUs) — reason "xid 79" set by root.');
    expect(f.links).toEqual({ nodes: ['gpu-2', 'gpu-10'], jobs: [], partition: null });
    expect(f.since).toBe(T0 - 2 * 3600);
    expect(f.holdSeconds).toBe(5 * MIN);
    // 4 GPUs × 2 h + 4 GPUs × 0.5 h.
    expect(f.detail.gpuHoursLost).toBe(10);
    expect(f.detail.lossIsLowerBound).toBe(false);
    expect(f.detail.gpus).toBe(8);
    expect(f.detail.reason).toBe('xid 79');
    // 8 GPUs drained is critical even without a down node.
    expect(f.severity).toBe('critical');
  });

  it('makes one finding per distinct reason', () => {
    const nodes = [drained('a', 'xid 79', T0 - 600), drained('b', 'Kill task failed', T0 - 600), drained('c', 'xid  79', T0 - 600)];
    const fs = outOfServiceFindings(input({ nodes }), settings());
    expect(fs.map((f) => [f.subject, f.detail.gpus]).sort()).toEqual([
      ['reason:Kill task failed', 4],
      ['reason:xid 79', 8],
    ]);
  });

  it('counts only the free GPUs of a draining node, and skips a draining node whose GPUs are all busy', () => {
    const nodes = [
      node('gpu-01', { state: 'MIXED', flags: ['DRAIN'], reason: 'ecc', reasonTime: T0 - 3600, gpus: gpus(['a100', 8, 5]) }),
      node('gpu-02', { state: 'ALLOCATED', flags: ['DRAIN'], reason: 'full', reasonTime: T0 - 3600, gpus: gpus(['a100', 8, 8]) }),
    ];
    const f = only(outOfServiceFindings(input({ nodes }), settings()));
    expect(f.subject).toBe('reason:ecc');
    expect(f.title).toBe('3 GPUs out of service on gpu-01: ecc');
    expect(f.body).toBe('gpu-01 (draining, 3/8 GPUs) — reason "ecc".');
    expect(f.detail.gpuHoursLost).toBe(3);
    expect(f.severity).toBe('warning');
  });

  it('ignores powered-down, maintenance, in-service and GPU-less nodes', () => {
    const nodes = [
      node('pwr', { flags: ['POWERED_DOWN'], reason: 'idle power save' }),
      node('maint', { state: 'DOWN', flags: ['MAINTENANCE'], reason: 'planned' }),
      node('cpu-01', { state: 'DOWN', flags: [], reason: 'dead', gpus: [] }),
      node('ok', { state: 'MIXED', gpus: gpus(['a100', 4, 2]) }),
    ];
    expect(outOfServiceFindings(input({ nodes }), settings())).toEqual([]);
  });

  it('rates a down node critical and a drained one a warning', () => {
    const down = only(outOfServiceFindings(input({ nodes: [node('gpu-01', { state: 'DOWN', flags: ['NOT_RESPONDING'], reason: 'Not responding', reasonTime: T0 - 600 })] }), settings()));
    expect(down.severity).toBe('critical');
    expect(down.body).toBe('gpu-01 (down*, 4/4 GPUs) — reason "Not responding".');
    const drain = only(outOfServiceFindings(input({ nodes: [drained('gpu-01', 'xid 79', T0 - 600)] }), settings()));
    expect(drain.severity).toBe('warning');
    // A down node in a group of drained ones makes the whole group critical.
    const mixed = only(outOfServiceFindings(input({ nodes: [drained('gpu-01', 'xid 79', T0 - 600), node('gpu-02', { state: 'DOWN', reason: 'xid 79', reasonTime: T0 - 600 })] }), settings()));
    expect(mixed.severity).toBe('critical');
    // Failing is not "drain": critical.
    const fail = only(outOfServiceFindings(input({ nodes: [node('gpu-01', { state: 'IDLE', flags: ['FAIL'], reason: 'gpu fell off', reasonTime: T0 - 600 })] }), settings()));
    expect(fail.severity).toBe('critical');
  });

  it('says so when no reason is given, grouped by state', () => {
    const nodes = [node('gpu-01', { state: 'DOWN', flags: ['NOT_RESPONDING'] }), node('gpu-02', { state: 'DOWN' })];
    const f = only(outOfServiceFindings(input({ nodes }), settings()));
    expect(f.subject).toBe('state:down');
    expect(f.title).toBe('8 GPUs out of service on 2 nodes (down*, down, no reason given)');
    expect(f.detail.reason).toBeNull();
  });

  it('marks the GPU-hours lost as a lower bound when a node has no reason time, and counts it as 0', () => {
    const nodes = [drained('gpu-01', 'xid 79', T0 - 3600), drained('gpu-02', 'xid 79', null)];
    const f = only(outOfServiceFindings(input({ nodes }), settings()));
    expect(f.detail.gpuHoursLost).toBe(4);
    expect(f.detail.lossIsLowerBound).toBe(true);
    expect(f.since).toBe(T0 - 3600);
    const none = only(outOfServiceFindings(input({ nodes: [drained('gpu-02', 'xid 79', null)] }), settings()));
    expect(none.since).toBeNull();
    expect(none.detail.gpuHoursLost).toBe(0);
    expect(none.detail.lossIsLowerBound).toBe(true);
  });

  it('does not count a reason time in the future (clock skew) as lost hours or as the start', () => {
    const f = only(outOfServiceFindings(input({ nodes: [drained('gpu-01', 'xid 79', T0 + 600)] }), settings()));
    expect(f.detail.gpuHoursLost).toBe(0);
    expect(f.since).toBeNull();
  });

  it('rounds the GPU-hours lost to two decimals', () => {
    const f = only(outOfServiceFindings(input({ nodes: [drained('gpu-01', 'xid 79', T0 - 100)] }), settings()));
    // 4 × 100 / 3600 = 0.111…
    expect(f.detail.gpuHoursLost).toBe(0.11);
  });

  it('holds for the strictest outOfServiceMinutes of the partitions of the nodes in the group', () => {
    const s: AlertSettings = { global: {}, clusters: { alpha: { params: { outOfServiceMinutes: 20 }, partitions: { debug: { outOfServiceMinutes: 2 } } } } };
    const a = drained('gpu-01', 'xid 79', T0, { partitions: ['gpu'] });
    const b = drained('gpu-02', 'xid 79', T0, { partitions: ['gpu', 'debug'] });
    expect(only(outOfServiceFindings(input({ nodes: [a] }), s)).holdSeconds).toBe(20 * MIN);
    expect(only(outOfServiceFindings(input({ nodes: [a, b] }), s)).holdSeconds).toBe(2 * MIN);
    // Another cluster is not affected.
    expect(only(outOfServiceFindings(input({ cluster: 'beta', nodes: [a] }), s)).holdSeconds).toBe(5 * MIN);
  });

  it('leaves out nodes whose partitions all turned the rule off', () => {
    const s: AlertSettings = { global: {}, clusters: { alpha: { partitions: { scratch: { enabled: { 'gpus-out-of-service': false } } } } } };
    const a = drained('gpu-01', 'xid 79', T0, { partitions: ['scratch'] });
    const b = drained('gpu-02', 'xid 79', T0, { partitions: ['scratch', 'gpu'] });
    const f = only(outOfServiceFindings(input({ nodes: [a, b] }), s));
    expect(f.links.nodes).toEqual(['gpu-02']);
    expect(f.detail.gpus).toBe(4);
  });
});

describe('outOfServiceMinutes threshold through the lifecycle', () => {
  const s = settings();
  const opensAt = (reasonTime: number | null, at: number, previous = [] as ReturnType<typeof advance>['changed']) =>
    advance({ cluster: 'alpha', at, previous, findings: outOfServiceFindings(input({ at, nodes: [drained('gpu-01', 'xid 79', reasonTime)] }), s), evaluated: ['gpus-out-of-service'], settings: s });

  it('with a Slurm reason time: opens at exactly 5 min, stays pending just below', () => {
    expect(opensAt(T0 - 5 * MIN, T0).changed[0]?.status).toBe('open');
    expect(opensAt(T0 - 5 * MIN + 1, T0).changed[0]?.status).toBe('pending');
    const above = opensAt(T0 - 5 * MIN - 1, T0);
    expect(above.changed[0]?.status).toBe('open');
    expect(above.changed[0]?.since).toBe(T0 - 5 * MIN - 1);
    expect(above.events.map((e) => [e.kind, e.notify])).toEqual([['opened', true]]);
  });

  it('without a reason time: counts from the first evaluation that saw it', () => {
    const first = opensAt(null, T0);
    expect(first.changed[0]).toMatchObject({ status: 'pending', since: T0 });
    expect(first.events).toEqual([]);
    expect(opensAt(null, T0 + 5 * MIN - 1, first.changed).changed[0]?.status).toBe('pending');
    const held = opensAt(null, T0 + 5 * MIN, first.changed);
    expect(held.changed[0]).toMatchObject({ status: 'open', openedAt: T0 + 5 * MIN, since: T0, occurrences: 1 });
    expect(held.events.map((e) => e.kind)).toEqual(['opened']);
  });
});

describe('repeatOffenderFindings', () => {
  const history = (episodes: number) => ({ 'gpu-01': { episodes, lastStarted: T0 - 3600 } });

  it('fires at exactly repeatOffenderCount episodes, not one below', () => {
    const nodes = [drained('gpu-01', 'xid 79', T0 - 3600)];
    expect(repeatOffenderFindings(input({ nodes, outOfServiceHistory: history(2) }), settings())).toEqual([]);
    const f = only(repeatOffenderFindings(input({ nodes, outOfServiceHistory: history(3) }), settings()));
    expect(f.rule).toBe('repeat-offender');
    expect(f.subject).toBe('node:gpu-01');
    expect(f.severity).toBe('warning');
    expect(f.holdSeconds).toBe(0);
    expect(f.title).toBe('gpu-01 went out of service 3 times in 7 days');
    // T0 − 7 days = 2023-11-07.
    expect(f.body).toBe('gpu-01 (4 GPUs) was drained, down or failing 3 separate times since 2023-11-07; now drained ("xid 79"). Consider taking it out for repair.');
    expect(f.detail).toEqual({ episodes: 3, lastStarted: T0 - 3600, days: 7, gpus: 4 });
    expect(f.links).toEqual({ nodes: ['gpu-01'], jobs: [], partition: null });
    expect(only(repeatOffenderFindings(input({ nodes, outOfServiceHistory: history(4) }), settings())).title).toBe('gpu-01 went out of service 4 times in 7 days');
  });

  it('uses the strictest count of the node partitions', () => {
    const s: AlertSettings = { global: { repeatOffenderCount: 5 }, clusters: { alpha: { partitions: { flaky: { repeatOffenderCount: 2 } } } } };
    const inGpu = node('gpu-01', { partitions: ['gpu'] });
    expect(repeatOffenderFindings(input({ nodes: [inGpu], outOfServiceHistory: history(4) }), s)).toEqual([]);
    expect(repeatOffenderFindings(input({ nodes: [inGpu], outOfServiceHistory: history(5) }), s)).toHaveLength(1);
    const inBoth = node('gpu-01', { partitions: ['gpu', 'flaky'] });
    expect(repeatOffenderFindings(input({ nodes: [inBoth], outOfServiceHistory: history(2) }), s)).toHaveLength(1);
    expect(repeatOffenderFindings(input({ nodes: [inBoth], outOfServiceHistory: history(1) }), s)).toEqual([]);
  });

  it('still reports a node gone from the snapshot, with the cluster threshold', () => {
    const f = only(repeatOffenderFindings(input({ nodes: [], outOfServiceHistory: history(3) }), settings()));
    expect(f.body).toBe('gpu-01 was drained, down or failing 3 separate times since 2023-11-07. Consider taking it out for repair.');
    expect(f.detail.gpus).toBe(0);
  });

  it('is quiet when turned off', () => {
    const s = settings({ global: { enabled: { 'repeat-offender': false } } });
    expect(repeatOffenderFindings(input({ nodes: [node('gpu-01')], outOfServiceHistory: history(10) }), s)).toEqual([]);
  });
});
