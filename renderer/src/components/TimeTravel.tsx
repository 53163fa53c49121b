// Time travel in the app header: pick a stored snapshot time or type one, and every view shows the data
// as of then (views pass the ui store's `at`). While away from live a banner says which time is shown and
// how old it is, with the way back; Escape (App's shortcuts, or in this box) returns to live.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SnapshotTimes } from '../../../shared/api/methods/snapshots';
import { formatAge, formatTime } from '../format';
import { useBridge } from '../hooks/bridge-context';
import { useQuery } from '../hooks/use-query';
import { useAppStore } from '../store/app-store';
import { useUiStore } from '../store/ui-store';
import { moments } from '../time-travel/moments';
import { parseTypedTime, snapshotFor } from '../time-travel/parse-time';
import './time-travel.css';

export function TimeTravel() {
  const bridge = useBridge();
  const at = useUiStore((s) => s.at);
  const setAt = useUiStore((s) => s.setAt);
  const cluster = useUiStore((s) => s.cluster);
  const now = useAppStore((s) => s.info?.now ?? Math.floor(Date.now() / 1000));
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const q = useQuery<SnapshotTimes>(() => bridge.api['snapshots.list'](cluster ? { cluster, limit: 500 } : { limit: 500 }), [bridge, cluster]);
  const list = useMemo(() => moments(q.data?.times ?? []), [q.data]);

  useEffect(() => {
    if (!open) return undefined;
    const onDown = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    return () => window.removeEventListener('mousedown', onDown);
  }, [open]);

  const go = (t: number) => {
    setAt(t >= now ? null : t);
    setOpen(false);
    setError(null);
  };
  const submit = () => {
    const r = parseTypedTime(text, now);
    if (!r.ok) return setError(r.error);
    if (q.data?.oldest != null && r.at < q.data.oldest) return setError(`the oldest stored snapshot is from ${formatTime(q.data.oldest)}`);
    go(r.at);
  };
  const shown = at === null ? null : snapshotFor(list.map((m) => m.at), at);

  return (
    <div className="time-travel" ref={box}>
      {at !== null && (
        <span className="tt-banner" role="status" data-testid="time-travel-banner">
          viewing {formatTime(at)} ({formatAge(now, at).replace(' old', ' ago')})
          <button type="button" onClick={() => setAt(null)} data-testid="back-to-live">
            back to live
          </button>
        </span>
      )}
      <button type="button" className="tt-toggle" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen((o) => !o)} data-testid="time-travel-toggle" title="show the data as of an earlier snapshot">
        {at === null ? 'Time: live ▾' : 'Time: earlier ▾'}
      </button>
      {open && (
        <div className="tt-panel" role="dialog" aria-label="time travel" data-testid="time-travel-panel">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <input
              autoFocus
              aria-label="go to time"
              placeholder="14:05, 2026-11-26 09:00, 3h ago"
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setError(null);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setOpen(false);
              }}
            />
            <button type="submit">Go</button>
          </form>
          {error && (
            <p className="tt-error" role="alert">
              {error}
            </p>
          )}
          <p className="muted tt-span">
            {q.data && q.data.total > 0 && q.data.oldest !== null
              ? `${q.data.total} snapshots${cluster ? ` of ${cluster}` : ''} since ${formatTime(q.data.oldest)}`
              : q.loading
                ? 'loading snapshot times…'
                : 'no snapshots stored yet'}
          </p>
          <ul className="tt-list" aria-label="snapshot times">
            <li>
              <button type="button" onClick={() => go(now)} aria-current={at === null}>
                live (latest data)
              </button>
            </li>
            {list.map((m) => (
              <li key={m.at}>
                <button type="button" onClick={() => go(m.at)} aria-current={shown === m.at} data-at={m.at}>
                  {formatTime(m.at)} <span className="muted">· {formatAge(now, m.at).replace(' old', ' ago')} · {m.clusters.join(', ')}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
