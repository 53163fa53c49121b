// The Alerts view's pure parts: filters, the open / snoozed split, age texts, snooze times, what a read-only
// console refuses, and the rule detail read defensively (an unknown shape is shown raw, not dropped).
import { describe, expect, it } from 'vitest';
import type { AlertEventView, AlertView } from '../../../../../shared/api/methods/alerts';
import {
  agoText,
  canAcknowledge,
  canSnooze,
  filterAlerts,
  filterEvents,
  idleByNode,
  NO_FILTER,
  parseSnoozeUntil,
  readDetail,
  readOnlyReason,
  splitActive,
  toLocalInput,
  verdictText,
} from '../../../../../renderer/src/views/alerts/alert-model';

const alert = (id: number, over: Partial<AlertView> = {}): AlertView => ({
  id,
  cluster: 'alpha',
  rule: 'gpus-out-of-service',
  subject: 'reason:xid 79',
  status: 'open',
  severity: 'warning',
  title: '4 GPUs out of service on gpu-a100-03: xid 79',
  body: 'gpu-a100-03 (drained, 4/4 GPUs) — reason "xid 79: GPU fell off the bus" set by root.',
  detail: {},
  links: { nodes: ['gpu-a100-03'], jobs: [], partition: null },
  since: 1000,
  openedAt: 1300,
  lastSeen: 2000,
  resolvedAt: null,
  occurrences: 1,
  ackBy: null,
  ackAt: null,
  snoozedUntil: null,
  ...over,
});

const alerts = [
  alert(1),
  alert(2, { cluster: 'beta', severity: 'critical', status: 'acknowledged', ackBy: 'ops', title: '8 GPUs out of service on dgx-h100-04', subject: 'reason:GPU 2 uncorrectable', body: 'dgx-h100-04 (down, 8/8 GPUs).', links: { nodes: ['dgx-h100-04'], jobs: [], partition: null } }),
  alert(3, { rule: 'stranded-gpus', subject: 'partition:gpu', title: '3 GPUs free in gpu while 2 GPU jobs wait', body: 'could have used them: 4242 (alice, 4 GPUs)', links: { nodes: ['gpu-a100-01'], jobs: ['4242'], partition: 'gpu' } }),
  alert(4, { status: 'snoozed', snoozedUntil: 9000, severity: 'info', rule: 'partition-underused' }),
];
const ids = (xs: { id: number }[]) => xs.map((a) => a.id);

describe('filterAlerts', () => {
  it('filters by cluster, rule, severity and status, all at once', () => {
    expect(ids(filterAlerts(alerts, NO_FILTER))).toEqual([1, 2, 3, 4]);
    expect(ids(filterAlerts(alerts, { ...NO_FILTER, cluster: 'beta' }))).toEqual([2]);
    expect(ids(filterAlerts(alerts, { ...NO_FILTER, rule: 'stranded-gpus' }))).toEqual([3]);
    expect(ids(filterAlerts(alerts, { ...NO_FILTER, severity: 'warning' }))).toEqual([1, 3]);
    expect(ids(filterAlerts(alerts, { ...NO_FILTER, status: 'snoozed' }))).toEqual([4]);
    expect(ids(filterAlerts(alerts, { ...NO_FILTER, cluster: 'alpha', severity: 'warning', rule: 'gpus-out-of-service' }))).toEqual([1]);
  });

  it('text: every word, case-insensitively, in title, body, rule name, nodes or jobs', () => {
    expect(ids(filterAlerts(alerts, { ...NO_FILTER, text: 'XID' }))).toEqual([1, 4]);
    expect(ids(filterAlerts(alerts, { ...NO_FILTER, text: 'dgx-h100' }))).toEqual([2]);
    expect(ids(filterAlerts(alerts, { ...NO_FILTER, text: '4242' }))).toEqual([3]);
    expect(ids(filterAlerts(alerts, { ...NO_FILTER, text: 'stranded alice' }))).toEqual([3]);
    expect(ids(filterAlerts(alerts, { ...NO_FILTER, text: 'stranded bob' }))).toEqual([]);
  });

  it('events filter by kind in the status slot, and by who', () => {
    const ev = (id: number, kind: AlertEventView['kind'], by: string): AlertEventView => ({ id, alertId: 1, at: 1, kind, by, severity: 'warning', title: 't', body: 'b', snoozedUntil: null, cluster: 'alpha', rule: 'gpus-out-of-service', subject: 's' });
    const events = [ev(1, 'opened', 'rules'), ev(2, 'acknowledged', 'ops'), ev(3, 'snoozed', 'ops')];
    expect(ids(filterEvents(events, { ...NO_FILTER, status: 'acknowledged' }))).toEqual([2]);
    expect(ids(filterEvents(events, { ...NO_FILTER, text: 'ops' }))).toEqual([2, 3]);
  });

  it('splits active alerts into what needs attention and what is snoozed', () => {
    const s = splitActive(alerts);
    expect(ids(s.attention)).toEqual([1, 2, 3]);
    expect(ids(s.snoozed)).toEqual([4]);
  });
});

describe('times', () => {
  it('agoText reads past and future spans, with no "in under a minute" for a slightly fast clock', () => {
    expect(agoText(1000, 990)).toBe('just now');
    expect(agoText(1000, 1030)).toBe('in under a minute');
    expect(agoText(10_000, 10_000 - 12 * 60)).toBe('12 min ago');
    expect(agoText(10_000, 10_000 + 3600)).toBe('in 60 min');
    expect(agoText(100_000, 100_000 - 5 * 3600)).toBe('5 h ago');
    expect(agoText(1_000_000, 1_000_000 - 3 * 86400)).toBe('3 d ago');
  });

  it('a chosen snooze end is a future local time; toLocalInput round-trips', () => {
    const now = Math.floor(new Date('2026-11-26T12:00:00').getTime() / 1000);
    expect(parseSnoozeUntil('2026-11-26T16:30', now)).toEqual({ until: now + 4.5 * 3600 });
    expect(parseSnoozeUntil('2026-11-26T11:00', now)).toEqual({ error: 'choose a time in the future' });
    expect(parseSnoozeUntil('', now)).toEqual({ error: 'choose a date and time' });
    expect(parseSnoozeUntil('tomorrow', now)).toEqual({ error: 'choose a date and time' });
    expect(toLocalInput(now + 3600)).toBe('2026-11-26T13:00');
  });
});

describe('actions', () => {
  it('are refused with the reason on example data and snapshot files, offered on live data', () => {
    expect(readOnlyReason('example')).toMatch(/example data.*cannot be acknowledged or snoozed/);
    expect(readOnlyReason('file')).toMatch(/snapshot file/);
    expect(readOnlyReason('live')).toBeNull();
  });

  it('follow the lifecycle: acknowledge open (or snoozed, unacknowledged) alerts; snooze any active one', () => {
    expect(canAcknowledge({ status: 'open', ackBy: null })).toBe(true);
    expect(canAcknowledge({ status: 'acknowledged', ackBy: 'ops' })).toBe(false);
    expect(canAcknowledge({ status: 'snoozed', ackBy: null })).toBe(true);
    expect(canAcknowledge({ status: 'snoozed', ackBy: 'ops' })).toBe(false);
    expect(canAcknowledge({ status: 'resolved', ackBy: null })).toBe(false);
    expect(canSnooze({ status: 'acknowledged' })).toBe(true);
    expect(canSnooze({ status: 'resolved' })).toBe(false);
    expect(canSnooze({ status: 'pending' })).toBe(false);
  });
});

describe('rule detail', () => {
  it('reads the out-of-service detail (nodes with reasons, GPU-hours lost)', () => {
    const d = readDetail('gpus-out-of-service', {
      gpus: 4,
      gpuHoursLost: 1.64,
      lossIsLowerBound: false,
      reason: 'xid 79',
      nodes: [{ node: 'gpu-a100-03', state: 'drained', gpus: 4, gpusTotal: 4, reason: 'xid 79', reasonUser: 'root', reasonTime: 1000, partitions: ['gpu'] }],
    });
    expect(d.kind).toBe('gpus-out-of-service');
    if (d.kind === 'gpus-out-of-service') expect(d.d.nodes[0]?.reasonUser).toBe('root');
  });

  it('reads the stranded detail with its waiting jobs, and says why each did not start', () => {
    const d = readDetail('stranded-gpus', {
      gpus: 3,
      partitionGpus: 16,
      cause: 'fragmentation',
      fragmentation: true,
      largestBlock: 2,
      nodes: [{ node: 'gpu-a100-01', free: 2, cpus: 10, memMiB: 4096 }],
      jobs: [{ jobId: '4242', user: 'alice', account: 'nlp', gpus: 4, gpusPerNode: 4, nodes: 1, types: null, priority: 10, reason: 'Resources', verdict: 'gpus-per-node' }],
      waiting: 2,
    });
    expect(d.kind).toBe('stranded-gpus');
    expect(verdictText('gpus-per-node', { gpus: 4, gpusPerNode: 4, nodes: 1 })).toBe('fragmentation: needs 4 GPUs on each of 1 node, no node has that many free');
    expect(verdictText('too-few-gpus', { gpus: 1, gpusPerNode: 1, nodes: 1 })).toBe('needs 1 GPU: fewer are free');
    expect(verdictText('something-new', { gpus: 1, gpusPerNode: 1, nodes: 1 })).toBe('something-new');
  });

  it('a detail of another shape is shown raw, not dropped', () => {
    expect(readDetail('stranded-gpus', { gpus: 'many' })).toEqual({ kind: 'raw', d: { gpus: 'many' } });
    expect(readDetail('some-future-rule', { x: 1 })).toEqual({ kind: 'raw', d: { x: 1 } });
  });

  it('groups idle GPUs per node, counting those at or below the threshold', () => {
    const perGpu = [
      { node: 'gpu-10', gpuIndex: 1, utilPct: 0 },
      { node: 'gpu-2', gpuIndex: 0, utilPct: 40 },
      { node: 'gpu-10', gpuIndex: 0, utilPct: 5 },
      { node: 'gpu-2', gpuIndex: 1, utilPct: 3 },
    ];
    expect(idleByNode(perGpu, 5)).toEqual([
      { node: 'gpu-2', idle: 1, measured: 2, gpus: [{ gpuIndex: 0, utilPct: 40 }, { gpuIndex: 1, utilPct: 3 }] },
      { node: 'gpu-10', idle: 2, measured: 2, gpus: [{ gpuIndex: 0, utilPct: 5 }, { gpuIndex: 1, utilPct: 0 }] },
    ]);
  });
});
