// The preload: runs sandboxed next to the page and exposes exactly one object, `window.clusterops`, built
// from the shared contract: one function per contract method (each on its own channel), one subscription
// per core event, and the shell's own events. There is no generic invoke or send, and no Electron object
// (ipcRenderer, the IPC event with its sender) ever reaches the page.
// eslint-disable-next-line no-restricted-syntax -- this file is the one wrapper around the raw IPC object
import { contextBridge, ipcRenderer, type IpcRenderer, type IpcRendererEvent } from 'electron';
import { contract, type MethodName } from '../../shared/api/contract';
import { events, type EventName } from '../../shared/api/events';
import { PRELOAD_GLOBAL, eventChannel, methodChannel, shellEventChannel, shellEvents, type IpcReply, type PreloadApi, type ShellEventName, type Subscribe } from '../../shared/api/ipc';

type Ipc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

function subscription(ipc: Ipc, channel: string): Subscribe {
  return (listener) => {
    if (typeof listener !== 'function') throw new TypeError('a listener function is needed');
    // Only the payload crosses: the IPC event would hand the page the sender and its ipcRenderer.
    const onMessage = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipc.on(channel, onMessage);
    return () => {
      ipc.removeListener(channel, onMessage);
    };
  };
}

export function buildPreloadApi(ipc: Ipc): PreloadApi {
  const methods: Record<string, (request: unknown) => Promise<IpcReply>> = {};
  for (const method of Object.keys(contract) as MethodName[]) {
    const channel = methodChannel(method);
    methods[method] = (request) => ipc.invoke(channel, request) as Promise<IpcReply>;
  }
  const eventSubscriptions: Record<string, Subscribe> = {};
  for (const event of Object.keys(events) as EventName[]) eventSubscriptions[event] = subscription(ipc, eventChannel(event));
  const shell: Record<string, Subscribe> = {};
  for (const event of Object.keys(shellEvents) as ShellEventName[]) shell[event] = subscription(ipc, shellEventChannel(event));
  return Object.freeze({
    methods: Object.freeze(methods) as unknown as PreloadApi['methods'],
    events: Object.freeze(eventSubscriptions) as PreloadApi['events'],
    shell: Object.freeze(shell) as PreloadApi['shell'],
  });
}

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, buildPreloadApi(ipcRenderer));
