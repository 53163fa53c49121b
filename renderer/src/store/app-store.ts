// The app slice: the host this renderer talks to (version, data source, clock).
import { create } from 'zustand';
import type { AppInfo } from '../../../shared/api/contract';
import type { Bridge } from '../bridge/bridge';

export interface AppState {
  info: AppInfo | null;
  error: string | null;
  load(bridge: Bridge): Promise<void>;
}

export const useAppStore = create<AppState>((set) => ({
  info: null,
  error: null,
  async load(bridge) {
    try {
      set({ info: await bridge.api['app.info']({}), error: null });
    } catch (err) {
      set({ error: err instanceof Error ? err.message : String(err) });
    }
  },
}));
