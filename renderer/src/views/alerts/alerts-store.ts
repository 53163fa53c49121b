// The alerts slice shared by the navigation badge, the notifications and the Alerts view: how many alerts
// are active (open + acknowledged, as the core's `alerts.changed` counts them), which alert to open next
// (a clicked notification), and whether the user turned browser notifications on.
import { create } from 'zustand';
import { useUiStore } from '../../store/ui-store';

const PREF_KEY = 'clusterops.alertNotifications';

export interface OpenRequest {
  id: number;
  cluster: string | null;
  /** Changes with every request, so opening the same alert twice opens it twice. */
  seq: number;
}

export interface AlertsState {
  /** Active alerts fleet-wide (snoozed ones not counted); null until known. */
  active: number | null;
  critical: number;
  openRequest: OpenRequest | null;
  /** The user asked for browser notifications (and the browser allowed them). */
  notify: boolean;
  setCounts(active: number, critical: number): void;
  setNotify(on: boolean): void;
}

function storedPref(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem(PREF_KEY) === 'on';
  } catch {
    return false;
  }
}

export const useAlertsStore = create<AlertsState>((set) => ({
  active: null,
  critical: 0,
  openRequest: null,
  notify: storedPref(),
  setCounts: (active, critical) => set({ active, critical }),
  setNotify(on) {
    try {
      localStorage.setItem(PREF_KEY, on ? 'on' : 'off');
    } catch {
      // private mode: the choice lasts for this page only
    }
    set({ notify: on });
  },
}));

let seq = 0;

/** Go to the Alerts view and open this alert's detail. */
export function openAlert(id: number, cluster: string | null = null): void {
  useAlertsStore.setState({ openRequest: { id, cluster, seq: ++seq } });
  const ui = useUiStore.getState();
  // A cluster filter that would hide the alert's row gives way to the alert's cluster.
  ui.navigate('alerts', cluster !== null && ui.cluster !== null && ui.cluster !== cluster ? { cluster } : undefined);
}
