// A Bridge over the web host's WebSocket: each call is {id, method, params}; the reply carries the same id.
import { contract, type Api, type MethodName } from '../../../shared/api/contract';
import { WireReply } from '../../../shared/api/wire';
import type { Bridge } from './bridge';

export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export function createWsBridge(url: string, timeoutMs = 30_000): Bridge {
  let socket: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  function open(): Promise<WebSocket> {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    if (opening) return opening;
    opening = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
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
      ws.onmessage = (event) => {
        const parsed = WireReply.safeParse(JSON.parse(String(event.data)));
        if (!parsed.success) return;
        const reply = parsed.data;
        const p = pending.get(reply.id);
        if (!p) return;
        pending.delete(reply.id);
        clearTimeout(p.timer);
        if (reply.ok) p.resolve(reply.result);
        else p.reject(new BridgeError(reply.error.code, reply.error.message));
      };
    });
    return opening;
  }

  async function call(method: MethodName, params: unknown): Promise<unknown> {
    const ws = await open();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new BridgeError('unavailable', `${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ id, method, params }));
    });
  }

  const bridge = {} as Record<MethodName, (params: unknown) => Promise<unknown>>;
  for (const method of Object.keys(contract) as MethodName[]) {
    bridge[method] = async (params) => contract[method].response.parse(await call(method, params));
  }
  return bridge as unknown as Api;
}

export function createBridge(): Bridge {
  if (window.clusterops) return window.clusterops;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWsBridge(`${scheme}//${location.host}/api`);
}
