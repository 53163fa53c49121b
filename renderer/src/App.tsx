import { useEffect } from 'react';
import type { Bridge } from './bridge/bridge';
import { useAppStore } from './store/app-store';

export function App({ bridge }: { bridge: Bridge }) {
  const info = useAppStore((s) => s.info);
  const error = useAppStore((s) => s.error);
  const load = useAppStore((s) => s.load);

  useEffect(() => {
    void load(bridge);
  }, [bridge, load]);

  return (
    <div className="app" data-ready={info !== null || error !== null ? 'true' : 'false'}>
      <header className="app-header">
        <h1>ClusterOps Console</h1>
        {info && (
          <span className="app-version" data-testid="app-version">
            v{info.version} · {info.host === 'web' ? 'web host' : 'desktop'}
          </span>
        )}
      </header>
      {error && (
        <p role="alert" className="app-error">
          {error}
        </p>
      )}
    </div>
  );
}
