// Load data from the core for a view: loading / error / data, reloaded when the inputs change and, when
// showing the latest data (no time travel), whenever a new snapshot arrives.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useBridge } from './bridge-context';
import { useUiStore } from '../store/ui-store';

export interface Query<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

export function useQuery<T>(load: () => Promise<T>, deps: readonly unknown[]): Query<T> {
  const bridge = useBridge();
  const at = useUiStore((s) => s.at);
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: true });
  const generation = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);

  const reload = useCallback(() => {
    const g = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => g === generation.current && setState({ data, error: null, loading: false }),
      (err: unknown) => g === generation.current && setState((s) => ({ data: s.data, error: err instanceof Error ? err.message : String(err), loading: false })),
    );
  }, [run]);

  useEffect(reload, [reload]);
  useEffect(() => {
    if (at !== null) return undefined;
    return bridge.on((event) => {
      if (event === 'snapshot') reload();
    });
  }, [bridge, at, reload]);
  return { ...state, reload };
}
