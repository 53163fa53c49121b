// The renderer's only way to the core: an object with one async function per contract method. In Electron
// the preload provides it (IPC); in a browser it is a WebSocket to the web host.
import type { Api } from '../../../shared/api/contract';

export type Bridge = Api;

declare global {
  interface Window {
    /** Set by electron/preload when the renderer runs inside the desktop app. */
    clusterops?: Bridge;
  }
}
