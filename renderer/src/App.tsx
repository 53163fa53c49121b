import { useEffect, useMemo } from 'react';
import type { Bridge } from './bridge/bridge';
import { HostKeyDialog } from './components/HostKeyDialog';
import { SecretDialog } from './components/SecretDialog';
import { EmptyState } from './components/States';
import { TimeTravel } from './components/TimeTravel';
import { BridgeContext } from './hooks/bridge-context';
import { useAppStore } from './store/app-store';
import { useUiStore } from './store/ui-store';
import { AlertWatcher } from './views/alerts/AlertWatcher';
import { VIEWS } from './views/registry';

/** g then a view's key opens it (like many web consoles); Escape leaves time travel. */
function useShortcuts() {
  const navigate = useUiStore((s) => s.navigate);
  const setAt = useUiStore((s) => s.setAt);
  useEffect(() => {
    let leader = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (leader) {
        leader = false;
        clearTimeout(timer);
        const view = VIEWS.find((v) => v.key === e.key);
        if (view) {
          e.preventDefault();
          navigate(view.id);
        }
        return;
      }
      if (e.key === 'g') {
        leader = true;
        timer = setTimeout(() => (leader = false), 1200);
      } else if (e.key === 'Escape') setAt(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, setAt]);
}

function ThemeSwitch() {
  const theme = useUiStore((s) => s.theme);
  const setTheme = useUiStore((s) => s.setTheme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <select aria-label="theme" value={theme} onChange={(e) => setTheme(e.target.value as typeof theme)}>
      <option value="system">system theme</option>
      <option value="light">light</option>
      <option value="dark">dark</option>
    </select>
  );
}

export function App({ bridge }: { bridge: Bridge }) {
  const info = useAppStore((s) => s.info);
  const error = useAppStore((s) => s.error);
  const load = useAppStore((s) => s.load);
  const view = useUiStore((s) => s.view);
  const navigate = useUiStore((s) => s.navigate);
  const cluster = useUiStore((s) => s.cluster);
  const setCluster = useUiStore((s) => s.setCluster);
  useShortcuts();

  useEffect(() => {
    void load(bridge);
    const t = setInterval(() => void load(bridge), 30_000); // keeps "N min old" current
    return () => clearInterval(t);
  }, [bridge, load]);

  const current = useMemo(() => VIEWS.find((v) => v.id === view), [view]);
  const View = current?.component;

  return (
    <BridgeContext.Provider value={bridge}>
      <div className="app" data-ready={info !== null || error !== null ? 'true' : 'false'}>
        <header className="app-header">
          <h1>ClusterOps Console</h1>
          {info && (
            <span className="app-version" data-testid="app-version">
              v{info.version} · {info.host === 'web' ? 'web host' : 'desktop'}
            </span>
          )}
          {info?.source === 'example' && (
            <span className="badge badge-example" data-testid="example-badge" title={info.dataPath}>
              example data — add a cluster to see your own
            </span>
          )}
          {info?.source === 'file' && (
            <span className="badge badge-file" title={info.dataPath}>
              snapshot file (read-only)
            </span>
          )}
          {cluster && (
            <button type="button" className="badge badge-filter" onClick={() => setCluster(null)} title="show all clusters">
              cluster: {cluster} ✕
            </button>
          )}
          <span className="spacer" />
          <TimeTravel />
          <ThemeSwitch />
        </header>
        <nav className="app-nav" aria-label="views">
          {VIEWS.map((v) => (
            <a
              key={v.id}
              href={`#/${v.id}`}
              aria-current={v.id === view ? 'page' : undefined}
              title={`g ${v.key}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(v.id);
              }}
            >
              {v.title}
              {v.badge && <v.badge />}
            </a>
          ))}
        </nav>
        <main className="app-main">
          {error && (
            <p role="alert" className="app-error">
              {error}
            </p>
          )}
          {View ? <View /> : <EmptyState title={`No view named ${view}`}>Pick one from the list.</EmptyState>}
        </main>
        <HostKeyDialog />
        <SecretDialog />
        <AlertWatcher />
      </div>
    </BridgeContext.Provider>
  );
}
