// The console's views: id (used in the address), title, keyboard shortcut (g + key), component.
import type { ComponentType } from 'react';
import { AlertsNavBadge } from './alerts/AlertWatcher';
import { AlertsView } from './alerts/AlertsView';
import { FairshareView } from './fairshare/FairshareView';
import { HeatmapView } from './heatmap/HeatmapView';
import { JobsView } from './jobs/JobsView';
import { OverviewView } from './overview/OverviewView';
import { SettingsView } from './settings/SettingsView';
import { PreemptionsView } from './preemptions/PreemptionsView';
import { UsageView } from './usage/UsageView';

export interface ViewDef {
  id: string;
  title: string;
  /** Pressing g then this key opens the view. */
  key: string;
  component: ComponentType;
  /** Shown beside the title in the navigation (a count). */
  badge?: ComponentType;
}

export const VIEWS: ViewDef[] = [
  { id: 'overview', title: 'Overview', key: 'o', component: OverviewView },
  { id: 'heatmap', title: 'Heatmap', key: 'h', component: HeatmapView },
  { id: 'jobs', title: 'Jobs', key: 'j', component: JobsView },
  { id: 'alerts', title: 'Alerts', key: 'a', component: AlertsView, badge: AlertsNavBadge },
  { id: 'preemptions', title: 'Preemptions', key: 'p', component: PreemptionsView },
  { id: 'fairshare', title: 'Fairshare', key: 'f', component: FairshareView },
  { id: 'usage', title: 'Usage', key: 'u', component: UsageView },
  { id: 'settings', title: 'Clusters & settings', key: 's', component: SettingsView },
];
