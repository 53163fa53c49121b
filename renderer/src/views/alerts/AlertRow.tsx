// One alert in a list: severity, cluster, rule, title and body, since when, its status (acknowledged by
// whom and when, snoozed until when), how old the cluster's data is, and the Acknowledge / Snooze buttons.
import { useCallback, useState } from 'react';
import type { AlertView } from '../../../../shared/api/methods/alerts';
import { AsOf } from '../../components/AsOf';
import { formatTime, timeTitle } from '../../format';
import { useBridge } from '../../hooks/bridge-context';
import { agoText, canAcknowledge, canSnooze, parseSnoozeUntil, ruleTitle, SNOOZE_PRESETS, toLocalInput } from './alert-model';

export interface AlertActionsApi {
  /** The alert an action is running for. */
  busy: number | null;
  error: { id: number; message: string } | null;
  acknowledge(id: number): Promise<void>;
  snooze(id: number, until: number): Promise<void>;
}

/** Acknowledge / snooze through the core; `done` gets the updated alert (the list reloads on the event too). */
export function useAlertActions(done: (a: AlertView) => void): AlertActionsApi {
  const bridge = useBridge();
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<{ id: number; message: string } | null>(null);
  const run = useCallback(
    async (id: number, work: () => Promise<AlertView>) => {
      setBusy(id);
      setError(null);
      try {
        done(await work());
      } catch (err) {
        setError({ id, message: err instanceof Error ? err.message : String(err) });
      } finally {
        setBusy(null);
      }
    },
    [done],
  );
  return {
    busy,
    error,
    acknowledge: (id) => run(id, () => bridge.api['alerts.acknowledge']({ id })),
    snooze: (id, until) => run(id, () => bridge.api['alerts.snooze']({ id, until })),
  };
}

export function AlertStatus({ alert: a, now }: { alert: AlertView; now: number }) {
  const ack = a.ackBy ? (
    <span>
      acknowledged by <strong>{a.ackBy}</strong>
      {a.ackAt ? (
        <span title={timeTitle(a.ackAt, null)}>
          {' '}
          {formatTime(a.ackAt)} ({agoText(now, a.ackAt)})
        </span>
      ) : null}
    </span>
  ) : null;
  return (
    <span className={`alert-status status-${a.status}`} data-testid="alert-status">
      {a.status === 'open' && <strong>open</strong>}
      {a.status === 'acknowledged' && ack}
      {a.status === 'snoozed' && (
        <>
          snoozed until{' '}
          <strong title={a.snoozedUntil ? timeTitle(a.snoozedUntil, null) : undefined}>{a.snoozedUntil ? `${formatTime(a.snoozedUntil)} (${agoText(now, a.snoozedUntil)})` : '?'}</strong>
          {ack ? <> · {ack}</> : null}
        </>
      )}
      {a.status === 'resolved' && (
        <>
          resolved {a.resolvedAt ? `${formatTime(a.resolvedAt)} (${agoText(now, a.resolvedAt)})` : ''}
          {ack ? <> · was {ack}</> : null}
        </>
      )}
      {a.status === 'pending' && 'pending'}
    </span>
  );
}

function SnoozeMenu({ alert, now, actions, disabled, reason }: { alert: AlertView; now: number; actions: AlertActionsApi; disabled: boolean; reason: string | undefined }) {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(() => toLocalInput(now + 2 * 3600));
  const [problem, setProblem] = useState<string | null>(null);
  const choose = (until: number) => {
    setOpen(false);
    void actions.snooze(alert.id, until);
  };
  if (disabled) {
    return (
      <button type="button" disabled title={reason}>
        Snooze…
      </button>
    );
  }
  return (
    <details className="snooze-menu" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Snooze…</summary>
      {open && (
        <div className="snooze-options" role="group" aria-label="snooze for">
          {SNOOZE_PRESETS.map((p) => (
            <button key={p.seconds} type="button" aria-label={`Snooze ${p.label}`} onClick={() => choose(Math.floor(Date.now() / 1000) + p.seconds)}>
              {p.label}
            </button>
          ))}
          <form
            className="snooze-until"
            onSubmit={(e) => {
              e.preventDefault();
              const r = parseSnoozeUntil(value, Math.floor(Date.now() / 1000));
              if ('error' in r) setProblem(r.error);
              else {
                setProblem(null);
                choose(r.until);
              }
            }}
          >
            <label>
              until <input type="datetime-local" aria-label="snooze until" value={value} onChange={(e) => setValue(e.target.value)} />
            </label>
            <button type="submit">Snooze until</button>
            {problem && <span className="app-error">{problem}</span>}
          </form>
        </div>
      )}
    </details>
  );
}

export function AlertActions({ alert, now, actions, readOnly }: { alert: AlertView; now: number; actions: AlertActionsApi; readOnly: string | null }) {
  if (alert.status === 'resolved' || alert.status === 'pending') return null;
  const busy = actions.busy === alert.id;
  const ackReason = readOnly ?? (canAcknowledge(alert) ? undefined : 'already acknowledged');
  const snoozeReason = readOnly ?? (canSnooze(alert) ? undefined : `a ${alert.status} alert cannot be snoozed`);
  return (
    <div className="alert-actions">
      <button type="button" disabled={busy || ackReason !== undefined} title={ackReason ?? 'Mark as seen: it stays listed, and its notifications stop'} onClick={() => void actions.acknowledge(alert.id)}>
        Acknowledge
      </button>
      <SnoozeMenu alert={alert} now={now} actions={actions} disabled={busy || snoozeReason !== undefined} reason={snoozeReason} />
      {busy && <span className="spinner" role="progressbar" aria-label="working" />}
      {actions.error?.id === alert.id && (
        <span className="app-error" role="alert">
          {actions.error.message}
        </span>
      )}
    </div>
  );
}

export function AlertRow({
  alert: a,
  now,
  dataAt,
  actions,
  readOnly,
  selected,
  onOpen,
}: {
  alert: AlertView;
  now: number;
  dataAt: number | null | undefined;
  actions: AlertActionsApi;
  readOnly: string | null;
  selected: boolean;
  onOpen(): void;
}) {
  return (
    <article
      className={`alert-row sev-row-${a.severity}${selected ? ' selected' : ''}`}
      data-testid="alert-row"
      data-alert-id={a.id}
      data-status={a.status}
      data-cluster={a.cluster}
      data-rule={a.rule}
      aria-label={`${a.severity} alert on ${a.cluster}: ${a.title}`}
    >
      <header>
        <span className={`sev sev-${a.severity}`}>{a.severity}</span>
        <span className="alert-cluster">{a.cluster}</span>
        <span className="alert-rule">{ruleTitle(a.rule)}</span>
        <span className="spacer" />
        <AlertStatus alert={a} now={now} />
      </header>
      <h3 className="alert-title">
        <button type="button" className="link" onClick={onOpen} title="Show the detail">
          {a.title}
        </button>
      </h3>
      <p className="alert-body">{a.body}</p>
      <footer>
        <span title={timeTitle(a.since, null)}>since {formatTime(a.since)}</span>
        {a.openedAt !== null && (
          <span title={timeTitle(a.openedAt, null)} data-testid="alert-opened">
            opened {agoText(now, a.openedAt)}
          </span>
        )}
        {dataAt !== undefined && (
          <span data-testid="alert-data-age">
            data <AsOf at={dataAt} />
          </span>
        )}
        <span className="spacer" />
        <AlertActions alert={a} now={now} actions={actions} readOnly={readOnly} />
        <button type="button" onClick={onOpen} aria-label={`details of alert ${a.id}`}>
          Details
        </button>
      </footer>
    </article>
  );
}
