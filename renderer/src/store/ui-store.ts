// The UI slice: which view is open, the cluster filter, time travel, theme. Mirrored in the address
// (#/view?cluster=x&at=t) so a view can be linked, reloaded and navigated with Back/Forward.
import { create } from 'zustand';

export type Theme = 'light' | 'dark' | 'system';

export interface UiState {
  view: string;
  /** Only this cluster, or all. */
  cluster: string | null;
  /** Time travel: show data as of this epoch second; null = latest. */
  at: number | null;
  theme: Theme;
  navigate(view: string, options?: { cluster?: string | null }): void;
  setCluster(cluster: string | null): void;
  setAt(at: number | null): void;
  setTheme(theme: Theme): void;
}

export function parseHash(hash: string): { view: string; cluster: string | null; at: number | null } {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const params = new URLSearchParams(query);
  const at = Number(params.get('at'));
  return { view: path || 'overview', cluster: params.get('cluster'), at: Number.isInteger(at) && at > 0 ? at : null };
}

export function formatHash(s: { view: string; cluster: string | null; at: number | null }): string {
  const params = new URLSearchParams();
  if (s.cluster) params.set('cluster', s.cluster);
  if (s.at) params.set('at', String(s.at));
  const q = params.toString();
  return `#/${s.view}${q ? `?${q}` : ''}`;
}

const initial = parseHash(typeof location === 'undefined' ? '' : location.hash);
const storedTheme = (typeof localStorage === 'undefined' ? null : localStorage.getItem('clusterops.theme')) as Theme | null;

export const useUiStore = create<UiState>((set, get) => {
  const push = () => {
    const { view, cluster, at } = get();
    const hash = formatHash({ view, cluster, at });
    if (location.hash !== hash) history.pushState(null, '', hash);
  };
  return {
    ...initial,
    theme: storedTheme ?? 'system',
    navigate(view, options) {
      set({ view, ...(options && 'cluster' in options ? { cluster: options.cluster ?? null } : {}) });
      push();
    },
    setCluster(cluster) {
      set({ cluster });
      push();
    },
    setAt(at) {
      set({ at });
      push();
    },
    setTheme(theme) {
      localStorage.setItem('clusterops.theme', theme);
      set({ theme });
    },
  };
});

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => useUiStore.setState(parseHash(location.hash)));
}
