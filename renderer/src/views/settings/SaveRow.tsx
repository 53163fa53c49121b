// The end of a settings form: its submit button (disabled with the reason on read-only data), the error
// of the last save, and what the save did once it succeeded.
import type { ReactNode } from 'react';

export function SaveRow({ label, busy, disabled, error, saved, testId }: { label: string; busy: boolean; disabled: string | null; error: string | null; saved: ReactNode | null; testId: string }) {
  return (
    <>
      <button type="submit" disabled={disabled !== null || busy} title={disabled ?? ''}>
        {busy ? 'Saving…' : label}
      </button>
      {error && (
        <p className="bad" role="alert">
          {error}
        </p>
      )}
      {saved !== null && (
        <span role="status" data-testid={testId}>
          {' '}
          {saved}
        </span>
      )}
    </>
  );
}
