import { describe, expect, it } from 'vitest';
import { acknowledge, advance, snooze, type AdvanceResult } from '../../../../shared/alerts/lifecycle';
import { alertKey, type AlertRule, type AlertSettings, type AlertState, type Finding } from '../../../../shared/alerts/types';
import { finding, MIN, settings, state, T0 } from './builders';

const OOS: AlertRule[] = ['gpus-out-of-service'];

/** A cluster's alerts across evaluations, as the store would keep them. */
class Track {
  alerts = new Map<string, AlertState>();
  last: AdvanceResult = { changed: [], dropped: [], events: [] };
  constructor(
    private readonly s: AlertSettings = settings(),
    initial: AlertState[] = [],
  ) {
    for (const a of initial) this.alerts.set(alertKey(a), a);
  }
  step(at: number, findings: Finding[], evaluated: AlertRule[] = OOS): AdvanceResult {
    this.last = advance({ cluster: 'alpha', at, previous: [...this.alerts.values()], findings, evaluated, settings: this.s });
    for (const c of this.last.changed) this.alerts.set(alertKey(c), c);
    for (const d of this.last.dropped) this.alerts.delete(alertKey(d));
    return this.last;
  }
  get one(): AlertState {
    expect(this.alerts.size).toBe(1);
    return [...this.alerts.values()][0] as AlertState;
  }
  kinds(): string[] {
    return this.last.events.map((e) => `${e.kind}${e.notify ? '!' : ''}`);
  }
}

describe('advance: pending → open', () => {
  it('holds a new finding as pending, opens it once held for the rule duration, and notifies', () => {
    const t = new Track();
    t.step(T0, [finding()]);
    expect(t.one).toMatchObject({ status: 'pending', since: T0, openedAt: null, lastSeen: T0, occurrences: 0, notifiedAt: null });
    expect(t.kinds()).toEqual([]);
    t.step(T0 + 5 * MIN - 1, [finding()]);
    expect(t.one.status).toBe('pending');
    expect(t.one.lastSeen).toBe(T0 + 5 * MIN - 1);
    t.step(T0 + 5 * MIN, [finding()]);
    expect(t.one).toMatchObject({ status: 'open', since: T0, openedAt: T0 + 5 * MIN, occurrences: 1, notifiedAt: T0 + 5 * MIN, clearSince: null });
    expect(t.kinds()).toEqual(['opened!']);
    const e = t.last.events[0];
    expect(e).toMatchObject({ at: T0 + 5 * MIN, cluster: 'alpha', rule: 'gpus-out-of-service', subject: 'reason:xid 79', by: 'rules' });
    expect(e?.state.status).toBe('open');
  });

  it('opens at once when the data says the condition began long enough ago', () => {
    const t = new Track();
    t.step(T0, [finding({ since: T0 - 5 * MIN })]);
    expect(t.one).toMatchObject({ status: 'open', since: T0 - 5 * MIN, openedAt: T0 });
    expect(t.kinds()).toEqual(['opened!']);
  });

  it('opens at once with a hold of zero', () => {
    const t = new Track();
    t.step(T0, [finding({ holdSeconds: 0 })]);
    expect(t.one.status).toBe('open');
  });

  it('does not trust a start time in the future', () => {
    const t = new Track();
    t.step(T0, [finding({ since: T0 + 3600 })]);
    expect(t.one).toMatchObject({ status: 'pending', since: T0 });
  });

  it('moves a pending start earlier when the data learns of an earlier one, never later', () => {
    const t = new Track();
    t.step(T0, [finding()]);
    t.step(T0 + 60, [finding({ since: T0 + 30 })]);
    expect(t.one.since).toBe(T0);
    t.step(T0 + 120, [finding({ since: T0 - 10 * MIN })]);
    expect(t.one).toMatchObject({ status: 'open', since: T0 - 10 * MIN });
  });

  it('drops a pending alert whose condition went away before it opened', () => {
    const t = new Track();
    t.step(T0, [finding()]);
    const r = t.step(T0 + 60, []);
    expect(r.dropped.map((d) => d.subject)).toEqual(['reason:xid 79']);
    expect(r.changed).toEqual([]);
    expect(r.events).toEqual([]);
    expect(t.alerts.size).toBe(0);
  });

  it('keeps one alert per subject and ignores a duplicate finding', () => {
    const t = new Track();
    const r = t.step(T0, [finding({ holdSeconds: 0 }), finding({ holdSeconds: 0, title: 'dup' }), finding({ holdSeconds: 0, subject: 'reason:ecc' })]);
    expect(r.changed.map((c) => [c.subject, c.title])).toEqual([
      ['reason:xid 79', '4 GPUs out of service on gpu-01: xid 79'],
      ['reason:ecc', '4 GPUs out of service on gpu-01: xid 79'],
    ]);
    expect(t.kinds()).toEqual(['opened!', 'opened!']);
  });
});

describe('advance: hysteresis and resolving', () => {
  const opened = () => {
    const t = new Track();
    t.step(T0, [finding({ since: T0 - 3600 })]);
    expect(t.one.status).toBe('open');
    return t;
  };

  it('an open alert gone for less than resolveAfter does not resolve, and comes back without an event', () => {
    const t = opened();
    const gone = t.step(T0 + 60, []);
    expect(gone.events).toEqual([]);
    expect(gone.dropped).toEqual([]);
    expect(t.one).toMatchObject({ status: 'open', clearSince: T0 + 60, lastSeen: T0 });
    // Still gone, not long enough: nothing to store.
    expect(t.step(T0 + 60 + 5 * MIN - 1, []).changed).toEqual([]);
    expect(t.one.status).toBe('open');
    // Seen again exactly when it would have resolved: it did not.
    const back = t.step(T0 + 60 + 5 * MIN, [finding({ since: T0 - 3600 })]);
    expect(back.events).toEqual([]);
    expect(t.one).toMatchObject({ status: 'open', clearSince: null, occurrences: 1, openedAt: T0 });
  });

  it('resolves once gone for resolveAfter minutes, counted from the first evaluation that missed it', () => {
    const t = opened();
    t.step(T0 + 60, []);
    t.step(T0 + 120, []);
    expect(t.one.clearSince).toBe(T0 + 60);
    t.step(T0 + 60 + 5 * MIN, []);
    expect(t.one).toMatchObject({ status: 'resolved', resolvedAt: T0 + 60 + 5 * MIN, clearSince: T0 + 60 });
    expect(t.kinds()).toEqual(['resolved']);
    // A resolved alert stays as it is while the condition stays away.
    expect(t.step(T0 + 3600, []).changed).toEqual([]);
  });

  it('resolves at the first miss with resolveAfterMinutes 0, and reads the cluster override', () => {
    const t = new Track(settings({ clusters: { alpha: { params: { resolveAfterMinutes: 0 } } } }));
    t.step(T0, [finding({ since: T0 - 3600 })]);
    t.step(T0 + 60, []);
    expect(t.one.status).toBe('resolved');
    const slow = new Track(settings({ clusters: { alpha: { params: { resolveAfterMinutes: 30 } } } }));
    slow.step(T0, [finding({ since: T0 - 3600 })]);
    slow.step(T0 + 60, []);
    slow.step(T0 + 60 + 29 * MIN, []);
    expect(slow.one.status).toBe('open');
    slow.step(T0 + 60 + 30 * MIN, []);
    expect(slow.one.status).toBe('resolved');
  });

  it('a re-open within quietReopenMinutes of the last notification does not notify; after it, it does', () => {
    const reopenAt = (at: number) => {
      const t = opened(); // notified at T0
      t.step(T0 + 60, []);
      t.step(T0 + 60 + 5 * MIN, []);
      expect(t.one.status).toBe('resolved');
      t.step(at, [finding({ since: at - 3600 })]);
      return t;
    };
    const quiet = reopenAt(T0 + 60 * MIN);
    expect(quiet.kinds()).toEqual(['reopened']);
    expect(quiet.one).toMatchObject({ status: 'open', occurrences: 2, notifiedAt: T0, openedAt: T0 + 60 * MIN, resolvedAt: null, clearSince: null });
    const loud = reopenAt(T0 + 60 * MIN + 1);
    expect(loud.kinds()).toEqual(['reopened!']);
    expect(loud.one).toMatchObject({ occurrences: 2, notifiedAt: T0 + 60 * MIN + 1 });
  });

  it('a re-occurrence goes through pending again before it re-opens', () => {
    const t = opened();
    t.step(T0 + 60, []);
    t.step(T0 + 60 + 5 * MIN, []);
    const at = T0 + 20 * MIN;
    t.step(at, [finding()]);
    expect(t.one).toMatchObject({ status: 'pending', since: at, occurrences: 1, clearSince: null });
    expect(t.kinds()).toEqual([]);
    t.step(at + 5 * MIN, [finding()]);
    expect(t.one).toMatchObject({ status: 'open', occurrences: 2, since: at });
    expect(t.kinds()).toEqual(['reopened']);
  });

  it('a re-occurrence that goes away while pending returns to resolved and keeps its history, so flapping stays quiet', () => {
    const t = opened();
    t.step(T0 + 60, []);
    t.step(T0 + 60 + 5 * MIN, []);
    const resolvedAt = T0 + 60 + 5 * MIN;
    t.step(T0 + 20 * MIN, [finding()]);
    const r = t.step(T0 + 21 * MIN, []);
    expect(r.dropped).toEqual([]);
    expect(r.events).toEqual([]);
    expect(t.one).toMatchObject({ status: 'resolved', occurrences: 1, notifiedAt: T0, resolvedAt });
    // It flaps back for good within the quiet period: re-opened without a notification.
    t.step(T0 + 30 * MIN, [finding()]);
    t.step(T0 + 35 * MIN, [finding()]);
    expect(t.kinds()).toEqual(['reopened']);
    expect(t.one.occurrences).toBe(2);
  });

  it('clears acknowledgement and snooze when an alert re-opens', () => {
    const t = new Track(settings(), [state({ status: 'resolved', resolvedAt: T0 - 600, ackBy: 'ops', ackAt: T0 - 1000, notifiedAt: T0 - 5000 })]);
    t.step(T0, [finding({ since: T0 - 3600 })]);
    expect(t.one).toMatchObject({ status: 'open', ackBy: null, ackAt: null, snoozedUntil: null, occurrences: 2 });
    expect(t.kinds()).toEqual(['reopened!']);
  });
});

describe('advance: rules not evaluated are frozen', () => {
  it('leaves open, clearing and pending alerts of rules not evaluated exactly as they were', () => {
    const open = state({ subject: 'reason:a', status: 'open' });
    const clearing = state({ subject: 'reason:b', status: 'open', clearSince: T0 - 4 * MIN });
    const pending = state({ subject: 'reason:c', status: 'pending', openedAt: null, occurrences: 0, notifiedAt: null });
    const idle = state({ rule: 'allocated-idle', subject: 'job:42', status: 'acknowledged', ackBy: 'ops', ackAt: T0 - 100 });
    const t = new Track(settings(), [open, clearing, pending, idle]);
    const r = t.step(T0 + 60 * MIN, [], ['data-stale']);
    expect(r).toEqual({ changed: [], dropped: [], events: [] });
    // The same round with the rules evaluated: clearing starts, resolves, drops.
    const live = new Track(settings(), [open, clearing, pending, idle]);
    const l = live.step(T0 + 60, [], ['gpus-out-of-service', 'stranded-gpus']);
    expect(l.dropped.map((d) => d.subject)).toEqual(['reason:c']);
    expect(l.changed.map((c) => [c.subject, c.status, c.clearSince])).toEqual([
      ['reason:a', 'open', T0 + 60],
      ['reason:b', 'resolved', T0 - 4 * MIN],
    ]);
    expect(live.kinds()).toEqual(['resolved']);
  });

  it('still updates an alert whose finding comes in although its rule is not marked evaluated', () => {
    const t = new Track(settings(), [state()]);
    t.step(T0, [finding({ since: T0 - 3600, severity: 'critical' })], []);
    expect(t.kinds()).toEqual(['updated!']);
  });
});

describe('advance: updates in place', () => {
  const open = () => new Track(settings(), [state({ notifiedAt: T0 - 3000 })]);

  it('notifies when the severity rises', () => {
    const t = open();
    t.step(T0, [finding({ severity: 'critical' })]);
    expect(t.kinds()).toEqual(['updated!']);
    expect(t.one).toMatchObject({ status: 'open', severity: 'critical', notifiedAt: T0, openedAt: T0 - 3000, occurrences: 1 });
  });

  it('records more GPUs as an update without notifying', () => {
    const t = open();
    t.step(T0, [finding({ gpus: 8, title: '8 GPUs out of service on 2 nodes: xid 79' })]);
    expect(t.kinds()).toEqual(['updated']);
    expect(t.one).toMatchObject({ title: '8 GPUs out of service on 2 nodes: xid 79', detail: { gpus: 8 }, notifiedAt: T0 - 3000 });
  });

  it('records fewer GPUs, other nodes or jobs, and a lower severity as quiet updates', () => {
    const t = open();
    t.step(T0, [finding({ gpus: 2 })]);
    expect(t.kinds()).toEqual(['updated']);
    t.step(T0 + 60, [finding({ gpus: 2, links: { nodes: ['gpu-02'], jobs: [], partition: null } })]);
    expect(t.kinds()).toEqual(['updated']);
    t.step(T0 + 120, [finding({ gpus: 2, links: { nodes: ['gpu-02'], jobs: ['7'], partition: null } })]);
    expect(t.kinds()).toEqual(['updated']);
    t.step(T0 + 180, [finding({ gpus: 2, severity: 'info', links: { nodes: ['gpu-02'], jobs: ['7'], partition: null } })]);
    expect(t.kinds()).toEqual(['updated']);
    expect(t.one.severity).toBe('info');
  });

  it('refreshes text and lastSeen without an event when the signature is unchanged', () => {
    const t = open();
    const r = t.step(T0, [finding({ body: 'gpu-01 still drained, 2 h lost.', detail: { gpus: 4, gpuHoursLost: 8 } })]);
    expect(r.events).toEqual([]);
    expect(t.one).toMatchObject({ body: 'gpu-01 still drained, 2 h lost.', lastSeen: T0, detail: { gpus: 4, gpuHoursLost: 8 } });
  });

  it('keeps an acknowledged alert acknowledged through updates, and notifies its severity rise', () => {
    const t = new Track(settings(), [state({ status: 'acknowledged', ackBy: 'ops', ackAt: T0 - 100 })]);
    t.step(T0, [finding({ severity: 'critical' })]);
    expect(t.kinds()).toEqual(['updated!']);
    expect(t.one).toMatchObject({ status: 'acknowledged', ackBy: 'ops' });
  });

  it('does not notify a severity rise on a snoozed alert', () => {
    const t = new Track(settings(), [state({ status: 'snoozed', snoozedUntil: T0 + 3600 })]);
    t.step(T0, [finding({ severity: 'critical', gpus: 8 })]);
    expect(t.kinds()).toEqual(['updated']);
    expect(t.one).toMatchObject({ status: 'snoozed', severity: 'critical', notifiedAt: T0 - 3000 });
  });
});

describe('acknowledge / snooze', () => {
  it('acknowledges an open or snoozed alert, recording who and when', () => {
    const { state: s, event } = acknowledge(state(), 'ops@alpha', T0);
    expect(s).toMatchObject({ status: 'acknowledged', ackBy: 'ops@alpha', ackAt: T0, snoozedUntil: null });
    expect(event).toMatchObject({ kind: 'acknowledged', at: T0, by: 'ops@alpha', notify: false, rule: 'gpus-out-of-service', subject: 'reason:xid 79' });
    expect(acknowledge(state({ status: 'snoozed', snoozedUntil: T0 + 60 }), 'ops', T0).state).toMatchObject({ status: 'acknowledged', snoozedUntil: null });
  });

  it('refuses to acknowledge or snooze a pending or resolved alert', () => {
    expect(() => acknowledge(state({ status: 'pending' }), 'ops', T0)).toThrow('alert is pending; only open or snoozed alerts can be acknowledged');
    expect(() => acknowledge(state({ status: 'resolved' }), 'ops', T0)).toThrow('alert is resolved; only open or snoozed alerts can be acknowledged');
    expect(() => snooze(state({ status: 'pending' }), T0 + 60, 'ops', T0)).toThrow('alert is pending; only open or acknowledged alerts can be snoozed');
    expect(() => snooze(state({ status: 'resolved' }), T0 + 60, 'ops', T0)).toThrow('alert is resolved; only open or acknowledged alerts can be snoozed');
  });

  it('snoozes only until a time in the future', () => {
    expect(() => snooze(state(), T0, 'ops', T0)).toThrow('snooze until a time in the future');
    expect(() => snooze(state(), T0 - 1, 'ops', T0)).toThrow('snooze until a time in the future');
    expect(() => snooze(state(), Number.NaN, 'ops', T0)).toThrow('snooze until a time in the future');
    const { state: s, event } = snooze(state({ status: 'acknowledged', ackBy: 'ops', ackAt: T0 - 5 }), T0 + 1, 'kim', T0);
    expect(s).toMatchObject({ status: 'snoozed', snoozedUntil: T0 + 1, ackBy: 'ops', ackAt: T0 - 5 });
    expect(event).toMatchObject({ kind: 'snoozed', by: 'kim', notify: false, at: T0 });
  });
});

describe('advance: snooze expiry', () => {
  const snoozed = (over: Partial<AlertState> = {}) => state({ status: 'snoozed', snoozedUntil: T0 + 3600, ...over });

  it('stays snoozed until the time, then returns to open with an unsnoozed event that notifies', () => {
    const t = new Track(settings(), [snoozed()]);
    t.step(T0 + 3599, [finding()]);
    expect(t.one.status).toBe('snoozed');
    expect(t.kinds()).toEqual([]);
    t.step(T0 + 3600, [finding()]);
    expect(t.one).toMatchObject({ status: 'open', snoozedUntil: null, notifiedAt: T0 + 3600 });
    expect(t.kinds()).toEqual(['unsnoozed!']);
  });

  it('returns to acknowledged when it was acknowledged before the snooze', () => {
    const t = new Track(settings(), [snoozed({ ackBy: 'ops', ackAt: T0 - 100 })]);
    t.step(T0 + 3600, [finding()]);
    expect(t.one).toMatchObject({ status: 'acknowledged', ackBy: 'ops', snoozedUntil: null });
    expect(t.kinds()).toEqual(['unsnoozed!']);
  });

  it('wakes up an alert whose rule did not run this round', () => {
    const t = new Track(settings(), [snoozed({ rule: 'allocated-idle', subject: 'job:42' })]);
    t.step(T0 + 3600, [], OOS);
    expect(t.one).toMatchObject({ status: 'open', snoozedUntil: null, notifiedAt: T0 + 3600 });
    expect(t.kinds()).toEqual(['unsnoozed!']);
  });

  it('keeps a clearing alert snoozed past its time: no notification for a condition that is gone', () => {
    const t = new Track(settings(), [snoozed()]);
    t.step(T0 + 3500, []);
    expect(t.one).toMatchObject({ status: 'snoozed', clearSince: T0 + 3500 });
    t.step(T0 + 3600, []);
    expect(t.kinds()).toEqual([]);
    expect(t.one.status).toBe('snoozed');
    // It resolves (snooze cleared) once gone for resolveAfter…
    t.step(T0 + 3500 + 5 * MIN, []);
    expect(t.kinds()).toEqual(['resolved']);
    expect(t.one).toMatchObject({ status: 'resolved', snoozedUntil: null });
  });

  it('a clearing alert past its snooze that comes back wakes up then', () => {
    const t = new Track(settings(), [snoozed()]);
    t.step(T0 + 3500, []);
    t.step(T0 + 3600, []);
    t.step(T0 + 3660, [finding()]);
    expect(t.kinds()).toEqual(['unsnoozed!']);
    expect(t.one).toMatchObject({ status: 'open', clearSince: null, snoozedUntil: null });
  });
});
