import { describe, expect, it } from 'vitest';
import { advance } from '../../../../shared/alerts/lifecycle';
import { isStale, staleFinding, type StaleInput } from '../../../../shared/alerts/rules/data-stale';
import { MIN, settings, state, T0 } from './builders';

const stale = (over: Partial<StaleInput> = {}): StaleInput => ({ cluster: 'alpha', at: T0, lastCollectedAt: T0 - 20 * MIN, connection: null, ...over });

describe('isStale', () => {
  it('is stale only past staleMinutes, or when never collected', () => {
    expect(isStale(stale({ lastCollectedAt: T0 - 15 * MIN }), settings())).toBe(false);
    expect(isStale(stale({ lastCollectedAt: T0 - 15 * MIN - 1 }), settings())).toBe(true);
    expect(isStale(stale({ lastCollectedAt: T0 }), settings())).toBe(false);
    expect(isStale(stale({ lastCollectedAt: null }), settings())).toBe(true);
  });

  it('uses the cluster override', () => {
    const s = settings({ clusters: { alpha: { params: { staleMinutes: 30 } } } });
    expect(isStale(stale({ lastCollectedAt: T0 - 20 * MIN }), s)).toBe(false);
    expect(isStale(stale({ cluster: 'beta', lastCollectedAt: T0 - 20 * MIN }), s)).toBe(true);
  });
});

describe('staleFinding', () => {
  it('says how old the data is and why, and opens at once', () => {
    const f = staleFinding(stale({ connection: { state: 'failed', message: 'Connection refused' } }), settings());
    expect(f).toEqual({
      rule: 'data-stale',
      subject: 'cluster',
      severity: 'warning',
      title: 'alpha: data is stale (last collected 20 min ago)',
      body: 'No queue and node data from alpha for more than 15 min (last collected 20 min ago). Connection failed: Connection refused. Its other alerts are frozen until data comes back.',
      holdSeconds: 0,
      since: T0 - 20 * MIN,
      detail: { lastCollectedAt: T0 - 20 * MIN, ageSeconds: 20 * MIN, connection: { state: 'failed', message: 'Connection refused' } },
      links: { nodes: [], jobs: [], partition: null },
    });
  });

  it('handles a cluster never collected, and a connection that is ready or has no message', () => {
    const never = staleFinding(stale({ lastCollectedAt: null, connection: { state: 'ready', message: null } }), settings());
    expect(never?.title).toBe('alpha: data is stale (never collected)');
    expect(never?.body).toBe('No queue and node data from alpha for more than 15 min (never collected). Its other alerts are frozen until data comes back.');
    expect(never?.since).toBeNull();
    const noMsg = staleFinding(stale({ connection: { state: 'connecting', message: null } }), settings());
    expect(noMsg?.body).toContain('(last collected 20 min ago). Connection connecting. Its other');
  });

  it('is null when fresh or turned off', () => {
    expect(staleFinding(stale({ lastCollectedAt: T0 - 15 * MIN }), settings())).toBeNull();
    expect(staleFinding(stale(), settings({ global: { enabled: { 'data-stale': false } } }))).toBeNull();
  });

  it('freezes the other alerts: with only data-stale evaluated, an open alert without a finding neither clears nor resolves', () => {
    const f = staleFinding(stale({ lastCollectedAt: T0 - 3 * 3600 }), settings());
    expect(f).not.toBeNull();
    const open = state({ status: 'open' });
    const r = advance({ cluster: 'alpha', at: T0, previous: [open], findings: f ? [f] : [], evaluated: ['data-stale'], settings: settings() });
    expect(r.events.map((e) => [e.kind, e.rule, e.notify])).toEqual([['opened', 'data-stale', true]]);
    expect(r.changed.map((c) => `${c.rule}:${c.status}`)).toEqual(['data-stale:open']);
    expect(r.dropped).toEqual([]);
  });
});
