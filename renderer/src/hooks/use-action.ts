// A user-started operation (test, sync, save, import): busy while it runs, then its result or its error,
// so buttons can show progress and the outcome stays next to the button that caused it.
import { useCallback, useRef, useState } from 'react';

export interface Action<A extends unknown[], T> {
  busy: boolean;
  result: T | null;
  error: string | null;
  run(...args: A): Promise<T | null>;
  clear(): void;
}

export function useAction<A extends unknown[], T>(fn: (...args: A) => Promise<T>): Action<A, T> {
  const [state, setState] = useState<{ busy: boolean; result: T | null; error: string | null }>({ busy: false, result: null, error: null });
  const generation = useRef(0);
  const run = useCallback(
    async (...args: A) => {
      const g = ++generation.current;
      setState({ busy: true, result: null, error: null });
      try {
        const result = await fn(...args);
        if (g === generation.current) setState({ busy: false, result, error: null });
        return result;
      } catch (err) {
        if (g === generation.current) setState({ busy: false, result: null, error: err instanceof Error ? err.message : String(err) });
        return null;
      }
    },
    [fn],
  );
  const clear = useCallback(() => {
    generation.current++;
    setState({ busy: false, result: null, error: null });
  }, []);
  return { ...state, run, clear };
}
