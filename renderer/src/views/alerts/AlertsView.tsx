// Alerts: the open ones (open and acknowledged first, snoozed apart) and the history (resolved alerts and
// every event), filtered by cluster (the app-wide cluster filter), rule, severity, status and text; each
// alert with its status and how old its cluster's data is, Acknowledge and Snooze, and a detail drawer that
// jumps to the node or job. Rules that cannot run on a cluster are listed with their reason. The lists
// reload on `alerts.changed` and `snapshot`; alerts always show the latest state (not time travel).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AlertEventView, AlertList, AlertView } from '../../../../shared/api/methods/alerts';
import { ALERT_RULES } from '../../../../shared/alerts/types';
import { AsOf } from '../../components/AsOf';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatTime, timeTitle } from '../../format';
import { useBridge } from '../../hooks/bridge-context';
import { useAppStore } from '../../store/app-store';
import { useUiStore } from '../../store/ui-store';
import { ACTIVE_STATUSES, agoText, filterAlerts, filterEvents, readOnlyReason, ruleTitle, SEVERITIES, splitActive, type AlertFilter } from './alert-model';
import { AlertDrawer } from './AlertDetail';
import { AlertRow, useAlertActions } from './AlertRow';
import { useAlertsStore } from './alerts-store';
import './alerts.css';

const EVENT_KINDS = ['opened', 'reopened', 'updated', 'resolved', 'acknowledged', 'snoozed', 'unsnoozed'] as const;

interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/** Load, and load again whenever alerts change or a snapshot arrives (alerts are never time-travelled). */
function useAlertsQuery<T>(load: (() => Promise<T>) | null, deps: readonly unknown[]): Loaded<T> {
  const bridge = useBridge();
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: load !== null });
  const generation = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load ?? (async () => null as T), deps);
  const enabled = load !== null;
  const reload = useCallback(() => {
    if (!enabled) return;
    const g = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => g === generation.current && setState({ data, error: null, loading: false }),
      (err: unknown) => g === generation.current && setState((s) => ({ data: s.data, error: err instanceof Error ? err.message : String(err), loading: false })),
    );
  }, [run, enabled]);
  useEffect(reload, [reload]);
  useEffect(
    () =>
      bridge.on((event) => {
        if (event === 'alerts.changed' || event === 'snapshot' || event === 'clusters.changed') reload();
      }),
    [bridge, reload],
  );
  return { ...state, reload };
}

/** The wall clock in epoch seconds at each render, and a render every 20 s ("N min ago" stays true). */
function useNow(): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 20_000);
    return () => clearInterval(t);
  }, []);
  return Math.floor(Date.now() / 1000);
}

function NotifyControl() {
  const host = useAppStore((s) => s.info?.host ?? null);
  const notify = useAlertsStore((s) => s.notify);
  const setNotify = useAlertsStore((s) => s.setNotify);
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(() => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission));
  const [asking, setAsking] = useState(false);
  if (host === 'desktop') return <span className="muted" data-testid="alerts-notify">The desktop app shows notifications for new alerts.</span>;
  if (permission === 'unsupported') return <span className="muted" data-testid="alerts-notify">This browser cannot show notifications.</span>;
  if (permission === 'denied') {
    return (
      <span className="muted" data-testid="alerts-notify">
        Notifications are blocked for this page: allow them in the browser&apos;s site settings.
      </span>
    );
  }
  if (permission === 'granted' && notify) {
    return (
      <span data-testid="alerts-notify">
        <span className="muted">Browser notifications on.</span>{' '}
        <button type="button" onClick={() => setNotify(false)}>
          Turn off
        </button>
      </span>
    );
  }
  return (
    <span data-testid="alerts-notify">
      <button
        type="button"
        disabled={asking}
        title="Show a browser notification when an alert opens (the browser asks you first)"
        onClick={() => {
          setAsking(true);
          void Notification.requestPermission()
            .then((p) => {
              setPermission(p);
              setNotify(p === 'granted');
            })
            .finally(() => setAsking(false));
        }}
      >
        Enable browser notifications
      </button>
    </span>
  );
}

function Rules({ list, cluster }: { list: AlertList; cluster: string | null }) {
  const clusters = Object.keys(list.dataAt).filter((c) => !cluster || c === cluster);
  const unavailable = list.rules.filter((r) => !r.available && (!cluster || r.cluster === cluster));
  const sources = list.rules.filter((r) => r.available && r.source && (!cluster || r.cluster === cluster));
  const notEvaluated = clusters.filter((c) => !list.rules.some((r) => r.cluster === c));
  if (unavailable.length === 0 && sources.length === 0 && notEvaluated.length === 0) return null;
  return (
    <div className="alert-rules" data-testid="rules-status">
      {unavailable.length > 0 && (
        <div data-testid="rules-unavailable">
          <strong>Rules that cannot run:</strong>
          <ul>
            {unavailable.map((r) => (
              <li key={`${r.cluster}/${r.rule}`} data-testid={`rule-unavailable-${r.cluster}-${r.rule}`}>
                {r.cluster}: <strong>{ruleTitle(r.rule)}</strong> unavailable — {r.reason ?? 'no reason recorded'}{' '}
                <span className="muted" title={timeTitle(r.at, null)}>
                  (checked {formatTime(r.at)})
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {sources.map((r) => (
        <div key={`${r.cluster}/${r.rule}/src`} className="muted">
          {r.cluster}: {ruleTitle(r.rule)} uses <strong>{r.source}</strong>
        </div>
      ))}
      {notEvaluated.length > 0 && (
        <div className="muted" data-testid="rules-not-evaluated">
          No alert evaluation yet for {notEvaluated.join(', ')}: rules run after each nodes + queue collection.
        </div>
      )}
    </div>
  );
}

function EventsTable({ events, now }: { events: AlertEventView[]; now: number }) {
  if (events.length === 0) return <EmptyState title="No alert events match" />;
  return (
    <table className="alert-table alert-events" data-testid="alerts-events">
      <thead>
        <tr>
          <th>when</th>
          <th>cluster</th>
          <th>rule</th>
          <th>event</th>
          <th>by</th>
          <th>alert</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} data-alert-id={e.alertId} data-kind={e.kind}>
            <td title={timeTitle(e.at, null)}>
              {formatTime(e.at)} <span className="muted">({agoText(now, e.at)})</span>
            </td>
            <td>{e.cluster}</td>
            <td>{ruleTitle(e.rule)}</td>
            <td>
              <span className={`sev sev-${e.severity}`}>{e.kind}</span>
              {e.kind === 'snoozed' && e.snoozedUntil ? ` until ${formatTime(e.snoozedUntil)}` : ''}
            </td>
            <td>{e.by}</td>
            <td>{e.title}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AlertsView() {
  const bridge = useBridge();
  const cluster = useUiStore((s) => s.cluster);
  const setCluster = useUiStore((s) => s.setCluster);
  const at = useUiStore((s) => s.at);
  const source = useAppStore((s) => s.info?.source ?? null);
  const readOnly = readOnlyReason(source);
  const now = useNow();
  const [tab, setTab] = useState<'open' | 'history'>('open');
  const [rest, setRest] = useState<Omit<AlertFilter, 'cluster'>>({ rule: null, severity: null, status: null, text: '' });
  const filter: AlertFilter = useMemo(() => ({ ...rest, cluster }), [rest, cluster]);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  // An alert opened from a notification that no list holds (resolved meanwhile, or filtered out).
  const [extra, setExtra] = useState<AlertView | null>(null);

  const active = useAlertsQuery(() => bridge.api['alerts.list']({ scope: 'active' }), [bridge]);
  const history = useAlertsQuery(
    tab === 'history'
      ? async () => {
          const [resolved, events] = await Promise.all([bridge.api['alerts.list']({ scope: 'resolved', limit: 500 }), bridge.api['alerts.history']({ limit: 1000 })]);
          return { resolved: resolved.alerts, events: events.events };
        }
      : null,
    [bridge, tab],
  );
  const reloadAll = useCallback(() => {
    active.reload();
    history.reload();
  }, [active, history]);
  const actions = useAlertActions(
    useCallback(
      (a: AlertView) => {
        setExtra((e) => (e?.id === a.id ? a : e));
        reloadAll();
      },
      [reloadAll],
    ),
  );

  // A clicked notification (browser or desktop) asks for an alert.
  const openRequest = useAlertsStore((s) => s.openRequest);
  useEffect(() => {
    if (!openRequest) return;
    useAlertsStore.setState({ openRequest: null });
    setSelectedId(openRequest.id);
    bridge.api['alerts.list']({ scope: 'all', ...(openRequest.cluster ? { cluster: openRequest.cluster } : {}), limit: 10_000 }).then(
      (r) => {
        const found = r.alerts.find((a) => a.id === openRequest.id) ?? null;
        setExtra(found);
        if (found) setTab(found.status === 'resolved' ? 'history' : 'open');
      },
      () => undefined,
    );
  }, [openRequest, bridge]);

  // Escape closes the drawer before it reaches the app (which would leave time travel).
  useEffect(() => {
    if (selectedId === null) return undefined;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const t = e.target as HTMLElement | null;
      if (t?.closest('[role="dialog"]')) return;
      e.stopImmediatePropagation();
      setSelectedId(null);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [selectedId]);

  const list = active.data;
  const shown = useMemo(() => (list ? splitActive(filterAlerts(list.alerts, filter)) : { attention: [], snoozed: [] }), [list, filter]);
  const resolved = useMemo(() => (history.data ? filterAlerts(history.data.resolved, { ...filter, status: null }) : []), [history.data, filter]);
  const events = useMemo(() => (history.data ? filterEvents(history.data.events, filter) : []), [history.data, filter]);
  const selected = useMemo(() => {
    if (selectedId === null) return null;
    return list?.alerts.find((a) => a.id === selectedId) ?? history.data?.resolved.find((a) => a.id === selectedId) ?? (extra?.id === selectedId ? extra : null);
  }, [selectedId, list, history.data, extra]);

  if (active.error && !list) return <ErrorState error={active.error} retry={active.reload} />;
  if (!list) return <Loading label="Loading alerts…" />;

  const clusters = [...new Set([...Object.keys(list.dataAt), ...list.alerts.map((a) => a.cluster)])].sort();
  const activeCount = splitActive(list.alerts.filter((a) => !cluster || a.cluster === cluster));
  const set = (patch: Partial<Omit<AlertFilter, 'cluster'>>) => setRest((r) => ({ ...r, ...patch }));
  const anyFilter = cluster !== null || rest.rule !== null || rest.severity !== null || rest.status !== null || rest.text !== '';
  const rowProps = (a: AlertView) => ({
    alert: a,
    now,
    dataAt: list.dataAt[a.cluster],
    actions,
    readOnly,
    selected: a.id === selectedId,
    onOpen: () => setSelectedId(a.id),
  });

  return (
    <section className={`alerts-view${selected ? ' with-drawer' : ''}`} data-testid="alerts-view" data-tab={tab}>
      <div className="alerts-top">
        <div role="tablist" aria-label="alerts" className="seg-buttons">
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'open'}
            onClick={() => {
              setTab('open');
              set({ status: null });
            }}
          >
            Open ({activeCount.attention.length}
            {activeCount.snoozed.length ? ` + ${activeCount.snoozed.length} snoozed` : ''})
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'history'}
            onClick={() => {
              setTab('history');
              set({ status: null });
            }}
          >
            History
          </button>
        </div>
        <span className="spacer" />
        <NotifyControl />
      </div>
      <div className="alerts-filters" role="search">
        <select aria-label="cluster" value={cluster ?? ''} onChange={(e) => setCluster(e.target.value || null)}>
          <option value="">all clusters</option>
          {clusters.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select aria-label="rule" value={rest.rule ?? ''} onChange={(e) => set({ rule: e.target.value || null })}>
          <option value="">all rules</option>
          {ALERT_RULES.map((r) => (
            <option key={r} value={r}>
              {ruleTitle(r)}
            </option>
          ))}
        </select>
        <select aria-label="severity" value={rest.severity ?? ''} onChange={(e) => set({ severity: e.target.value || null })}>
          <option value="">any severity</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select aria-label="status" value={rest.status ?? ''} onChange={(e) => set({ status: e.target.value || null })}>
          <option value="">{tab === 'open' ? 'any status' : 'any event'}</option>
          {(tab === 'open' ? ACTIVE_STATUSES : EVENT_KINDS).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <input type="search" className="alerts-text" placeholder="Search title, node, job, reason…" aria-label="search alerts" value={rest.text} onChange={(e) => set({ text: e.target.value })} />
        {anyFilter && (
          <button
            type="button"
            onClick={() => {
              setRest({ rule: null, severity: null, status: null, text: '' });
              setCluster(null);
            }}
          >
            Clear filters
          </button>
        )}
        {(active.loading || history.loading) && (
          <span className="muted" role="status">
            <span className="spinner" /> refreshing…
          </span>
        )}
      </div>
      <div className="alerts-asof">
        {clusters
          .filter((c) => !cluster || c === cluster)
          .map((c) => (
            <span key={c} data-testid={`alerts-asof-${c}`}>
              <strong>{c}</strong> <AsOf at={list.dataAt[c] ?? null} />
            </span>
          ))}
      </div>
      {readOnly && (
        <p className="alerts-note" data-testid="alerts-readonly">
          {readOnly}
        </p>
      )}
      {at !== null && <p className="alerts-note">Alerts show their latest state: time travel does not apply to this view.</p>}
      {active.error && <p className="app-error">{active.error}</p>}
      <Rules list={list} cluster={cluster} />
      <div className="alerts-main">
        <div className="alerts-lists">
          {tab === 'open' ? (
            <>
              <div data-testid="alerts-open-list" className="alert-list">
                {shown.attention.length === 0 ? (
                  <EmptyState title={anyFilter ? 'No open alert matches these filters' : 'No open alerts'}>
                    {list.alerts.length === 0 ? 'Nothing needs attention on any cluster.' : null}
                  </EmptyState>
                ) : (
                  shown.attention.map((a) => <AlertRow key={a.id} {...rowProps(a)} />)
                )}
              </div>
              {shown.snoozed.length > 0 && (
                <>
                  <h2 className="alerts-heading">Snoozed ({shown.snoozed.length})</h2>
                  <div data-testid="alerts-snoozed-list" className="alert-list">
                    {shown.snoozed.map((a) => (
                      <AlertRow key={a.id} {...rowProps(a)} />
                    ))}
                  </div>
                </>
              )}
            </>
          ) : history.error && !history.data ? (
            <ErrorState error={history.error} retry={history.reload} />
          ) : !history.data ? (
            <Loading label="Loading alert history…" />
          ) : (
            <>
              <h2 className="alerts-heading">Resolved ({resolved.length})</h2>
              <div data-testid="alerts-resolved-list" className="alert-list">
                {resolved.length === 0 ? <EmptyState title="No resolved alerts match" /> : resolved.map((a) => <AlertRow key={a.id} {...rowProps(a)} />)}
              </div>
              <h2 className="alerts-heading">Events</h2>
              <EventsTable events={events} now={now} />
            </>
          )}
        </div>
        {selected && <AlertDrawer alert={selected} now={now} actions={actions} readOnly={readOnly} onClose={() => setSelectedId(null)} />}
      </div>
    </section>
  );
}
