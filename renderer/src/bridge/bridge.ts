// The renderer's only way to the core: one async function per contract method, plus core events. In
// Electron the preload provides it (IPC); in a browser it is a WebSocket to the web host.
import type { Api } from '../../../shared/api/contract';
import type { EventName, EventPayload } from '../../../shared/api/events';
import type { PreloadApi } from '../../../shared/api/ipc';

export type BridgeEventHandler = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface Bridge {
  api: Api;
  /** Core events (snapshot stored, connection changed, sync failed); returns an unsubscribe function. */
  on(handler: BridgeEventHandler): () => void;
  /** Desktop app only: a desktop notification of this alert was clicked, so open it. */
  onOpenAlert?(handler: (alertId: number) => void): () => void;
}

declare global {
  interface Window {
    /** Set by electron/preload when the renderer runs inside the desktop app (see ipc-bridge.ts). */
    clusterops?: PreloadApi;
  }
}
