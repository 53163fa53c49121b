// A Bridge over the web host's WebSocket: each call is {id, method, params}; the reply carries the same
// id; core events arrive as {event, payload}. Replies holding typed arrays (heatmap cells) come as one
// binary frame (shared/api/wire.ts), the rest as JSON text. Replies and events are validated against the
// contract either way.
import { contract, type Api, type MethodName } from '../../../shared/api/contract';
import { events as eventSchemas, isEventName } from '../../../shared/api/events';
import { WireEvent, WireFrameError, WireReply, decodeWireFrame } from '../../../shared/api/wire';
import type { Bridge, BridgeEventHandler } from './bridge';

export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

/**
 * Calls that answer when a long piece of work ends: a bulk job action runs batch after batch with pauses
 * (a thousand jobs take minutes) and reports its progress as events meanwhile. They get no timeout; a
 * closed socket still ends them.
 */
const UNTIMED: ReadonlySet<MethodName> = new Set<MethodName>(['actions.run', 'actions.retry', 'actions.undo']);

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export function createWsBridge(url: string, timeoutMs = 30_000): Bridge {
  let socket: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const handlers = new Set<BridgeEventHandler>();

  function settle(id: number, error: BridgeError): void {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    p.reject(error);
  }

  function onMessage(data: unknown): void {
    let json: unknown;
    try {
      json = typeof data === 'string' ? JSON.parse(data) : decodeWireFrame(data as ArrayBuffer);
    } catch (err) {
      // A frame the page cannot read: answer its call (when known) rather than let it time out.
      if (err instanceof WireFrameError && err.id !== null) settle(err.id, new BridgeError('internal', `malformed answer from the host: ${err.message}`));
      return;
    }
    const reply = WireReply.safeParse(json);
    if (reply.success) {
      const p = pending.get(reply.data.id);
      if (!p) return;
      pending.delete(reply.data.id);
      clearTimeout(p.timer);
      if (reply.data.ok) p.resolve(reply.data.result);
      else p.reject(new BridgeError(reply.data.error.code, reply.data.error.message));
      return;
    }
    const ev = WireEvent.safeParse(json);
    if (!ev.success || !isEventName(ev.data.event)) return;
    const payload = eventSchemas[ev.data.event].safeParse(ev.data.payload);
    if (!payload.success) return;
    for (const h of [...handlers]) h(ev.data.event, payload.data as never);
  }

  function open(): Promise<WebSocket> {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    if (opening) return opening;
    opening = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => {
        socket = ws;
        opening = null;
        resolve(ws);
      };
      ws.onerror = () => {
        opening = null;
        reject(new BridgeError('unavailable', 'cannot reach the ClusterOps host'));
      };
      ws.onclose = () => {
        socket = null;
        for (const [id, p] of pending) {
          clearTimeout(p.timer);
          p.reject(new BridgeError('unavailable', 'connection to the ClusterOps host closed'));
          pending.delete(id);
        }
      };
      ws.onmessage = (event: MessageEvent<unknown>) => onMessage(event.data);
    });
    return opening;
  }

  async function call(method: MethodName, params: unknown): Promise<unknown> {
    const ws = await open();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = UNTIMED.has(method)
        ? undefined
        : setTimeout(() => {
            pending.delete(id);
            reject(new BridgeError('unavailable', `${method} got no answer within ${timeoutMs} ms`));
          }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ id, method, params }));
    });
  }

  const api = {} as Record<MethodName, (params: unknown) => Promise<unknown>>;
  for (const method of Object.keys(contract) as MethodName[]) {
    api[method] = async (params) => contract[method].response.parse(await call(method, params));
  }
  return {
    api: api as unknown as Api,
    on(handler) {
      handlers.add(handler);
      void open().catch(() => undefined); // events flow once the socket is open
      return () => handlers.delete(handler);
    },
  };
}

/** The web host's bridge (in the desktop app, main.tsx uses the preload's: ipc-bridge.ts). */
export function createBridge(): Bridge {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWsBridge(`${scheme}//${location.host}/api`);
}
