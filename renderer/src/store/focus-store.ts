// Where a "jump to" link lands: a view opened on one cluster with one node or job singled out (the Alerts
// view's links to the heatmap and the Jobs view). Kept apart from the address: it is a one-off hand-over,
// dropped as soon as the user goes to another view or another cluster.
import { create } from 'zustand';
import { useUiStore } from './ui-store';

export interface Focus {
  /** The view the focus is for. */
  view: string;
  cluster: string;
  /** Show only these nodes (heatmap). */
  nodes?: string[];
  /** Select this job and open its drawer (Jobs view). */
  job?: string;
  /** Pick this partition (heatmap). */
  partition?: string | null;
}

export interface FocusState {
  focus: Focus | null;
  clear(): void;
}

export const useFocusStore = create<FocusState>((set) => ({
  focus: null,
  clear: () => set({ focus: null }),
}));

/** Open `focus.view` filtered to its cluster, with the node / job singled out. */
export function jumpTo(focus: Focus): void {
  useFocusStore.setState({ focus });
  useUiStore.getState().navigate(focus.view, { cluster: focus.cluster });
}

// Leaving the view or the cluster ends the focus: coming back later shows the view as usual.
useUiStore.subscribe((ui) => {
  const { focus } = useFocusStore.getState();
  if (focus && (ui.view !== focus.view || ui.cluster !== focus.cluster)) useFocusStore.setState({ focus: null });
});
