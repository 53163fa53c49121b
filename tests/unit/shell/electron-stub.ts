// A stand-in for the `electron` module (its binary cannot be downloaded here): just enough of the objects
// the shell and the preload touch, recording what they were asked to do. Tests load it with
// vi.mock('electron', () => import('./electron-stub')).
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => void;

/** ipcRenderer: invoke() records the call and answers with `answer`; on/removeListener keep listeners. */
export const ipcRenderer = {
  invocations: [] as { channel: string; args: unknown[] }[],
  answer: (channel: string, ...args: unknown[]): unknown => ({ ok: true, result: { channel, args } }),
  listeners: new Map<string, Set<Listener>>(),
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return Promise.resolve(this.answer(channel, ...args));
  },
  on(channel: string, listener: Listener) {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return this;
  },
  removeListener(channel: string, listener: Listener) {
    this.listeners.get(channel)?.delete(listener);
    return this;
  },
  /** What main's webContents.send(channel, payload) would deliver: (event, payload). */
  emit(channel: string, payload: unknown) {
    const event = { sender: this, senderId: 0 };
    for (const l of this.listeners.get(channel) ?? []) l(event, payload);
  },
};

/** contextBridge: exposeInMainWorld records each (name, api). */
export const contextBridge = {
  exposed: [] as { name: string; api: unknown }[],
  exposeInMainWorld(name: string, api: unknown) {
    this.exposed.push({ name, api });
  },
};

export const ipcMain = {
  handlers: new Map<string, (...args: unknown[]) => unknown>(),
  handle(channel: string, handler: (...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  },
};

/** A WebFrameMain: process id, frame token, URL. */
export function frame(processId: number, frameToken: string, url: string) {
  return { processId, frameToken, url };
}

/** A WebContents with a main frame at `url`, recording send() and the event handlers set on it. */
export class FakeWebContents extends EventEmitter {
  destroyed = false;
  sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly mainFrame: ReturnType<typeof frame>;
  constructor(
    readonly id: number,
    url: string,
  ) {
    super();
    this.mainFrame = frame(id, `main-${id}`, url);
  }
  isDestroyed() {
    return this.destroyed;
  }
  getURL() {
    return this.mainFrame.url;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

/** Electron's Event passed to will-navigate & co. */
export function navigationEvent(url: string) {
  return {
    url,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export const app = new EventEmitter();
export const safeStorage = {};
export default { ipcRenderer, contextBridge, ipcMain, app, safeStorage };
