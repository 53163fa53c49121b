// Empty, error and loading states: never a blank page. Loading shows only after 300 ms, so fast answers
// do not flicker.
import { useEffect, useState, type ReactNode } from 'react';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty" role="status">
      <strong>{title}</strong>
      {children && <div>{children}</div>}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: string; retry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <strong>Could not load this view.</strong>
      <div className="state-detail">{error}</div>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  const [show, setShow] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setShow(true), 300);
    return () => clearTimeout(t);
  }, []);
  return show ? (
    <div className="state state-loading" role="progressbar" aria-busy="true">
      <span className="spinner" /> {label}
    </div>
  ) : null;
}
