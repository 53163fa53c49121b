// A Bridge over the desktop app's preload (`window.clusterops`): each method calls the preload's function
// of that name; errors arrive as data ({ ok: false, error: { code, message } }) and become BridgeErrors as
// over the WebSocket. Replies and event payloads are checked against the contract here too.
import { contract, type Api, type MethodName } from '../../../shared/api/contract';
import { events as eventSchemas, type EventName } from '../../../shared/api/events';
import { IpcReply, shellEvents, type PreloadApi } from '../../../shared/api/ipc';
import type { Bridge, BridgeEventHandler } from './bridge';
import { BridgeError } from './ws-bridge';

export function createIpcBridge(preload: PreloadApi): Bridge {
  const api = {} as Record<MethodName, (params: unknown) => Promise<unknown>>;
  for (const method of Object.keys(contract) as MethodName[]) {
    api[method] = async (params) => {
      const call = preload.methods[method] as ((request: unknown) => Promise<unknown>) | undefined;
      if (typeof call !== 'function') throw new BridgeError('unknown-method', `the desktop app does not offer ${method} (restart it after an update)`);
      const reply = IpcReply.safeParse(await call(params ?? {}));
      if (!reply.success) throw new BridgeError('internal', `${method}: the desktop app sent a malformed reply`);
      if (!reply.data.ok) throw new BridgeError(reply.data.error.code, reply.data.error.message);
      return contract[method].response.parse(reply.data.result);
    };
  }
  return {
    api: api as unknown as Api,
    on(handler: BridgeEventHandler) {
      const stops = (Object.keys(eventSchemas) as EventName[]).flatMap((event) => {
        const subscribe = preload.events[event];
        if (typeof subscribe !== 'function') return [];
        return [
          subscribe((payload) => {
            const parsed = eventSchemas[event].safeParse(payload);
            if (parsed.success) handler(event, parsed.data as never);
          }),
        ];
      });
      return () => {
        for (const stop of stops) stop();
      };
    },
    onOpenAlert(handler) {
      const subscribe = preload.shell['alert.open'];
      if (typeof subscribe !== 'function') return () => undefined;
      return subscribe((payload) => {
        const parsed = shellEvents['alert.open'].safeParse(payload);
        if (parsed.success) handler(parsed.data.alertId);
      });
    },
  };
}
