// Load data from the core for a view: loading / error / data, reloaded when the inputs change and, when
// showing the latest data (no time travel), whenever a new snapshot arrives.
import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useBridge } from './bridge-context';
import { useUiStore } from '../store/ui-store';

export interface Query<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

export interface QueryOptions {
  /**
   * Render the answer the moment it arrives (flushSync) instead of in a task React schedules later, when
   * the browser may paint first: the heatmap's canvas waited 25–65 ms for that render (bench).
   */
  renderAtOnce?: boolean;
}

export function useQuery<T>(load: () => Promise<T>, deps: readonly unknown[], options: QueryOptions = {}): Query<T> {
  const atOnce = options.renderAtOnce === true;
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
      (data) => {
        if (g !== generation.current) return;
        const done = () => setState({ data, error: null, loading: false });
        if (atOnce) flushSync(done);
        else done();
      },
      (err: unknown) => g === generation.current && setState((s) => ({ data: s.data, error: err instanceof Error ? err.message : String(err), loading: false })),
    );
  }, [run, atOnce]);

  useEffect(reload, [reload]);
  useEffect(() => {
    if (at !== null) return undefined;
    return bridge.on((event) => {
      if (event === 'snapshot') reload();
    });
  }, [bridge, at, reload]);
  return { ...state, reload };
}
