// Main-process side of the typed IPC: every contract method gets its own channel, all handled by one
// wrapper that (1) refuses any caller but our window's main frame showing our own page, and (2) runs the
// call through the same dispatcher as the web host, so a malformed payload is refused with the contract's
// schema error before the core sees it. Core events go back on one named channel each.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { contract, type Api, type MethodName } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import type { EventListener } from '../../shared/api/events';
import { eventChannel, methodChannel, type IpcReply } from '../../shared/api/ipc';
import { dispatch } from '../core/dispatch';
import { isAppUrl } from './protocol';

/** Why a call is refused, or null when it came from our window's main frame showing our page. */
export type SenderCheck = (event: IpcMainInvokeEvent) => string | null;

/** `contents`: the console window's WebContents, or null while there is none. */
export function ourMainFrameOnly(contents: () => WebContents | null): SenderCheck {
  return (event) => {
    const ours = contents();
    if (!ours || ours.isDestroyed()) return 'the console window is not open';
    if (event.sender !== ours) return 'the call did not come from the console window';
    const frame = event.senderFrame;
    if (!frame) return 'the calling frame is gone';
    const main = ours.mainFrame;
    const sameFrame = frame === main || (frame.processId === main.processId && frame.frameToken === main.frameToken);
    if (!sameFrame) return 'the call came from a frame inside the page, not from the console itself';
    if (!isAppUrl(frame.url)) return 'the calling page is not the console';
    return null;
  };
}

/** One call: sender check, then the shared dispatcher (schema check, core call, response check). */
export async function handleCall(api: Api, check: SenderCheck, method: MethodName, event: IpcMainInvokeEvent, request: unknown): Promise<IpcReply> {
  const refused = check(event);
  if (refused !== null) return { ok: false, error: { code: 'unauthorized', message: `${method} refused: ${refused}` } };
  try {
    return { ok: true, result: await dispatch(api, method, request) };
  } catch (err) {
    const error = err instanceof ApiError ? err.toBody() : { code: 'internal', message: err instanceof Error ? err.message : String(err) };
    return { ok: false, error };
  }
}

/** Register every contract method (and nothing else); returns a function that removes them again. */
export function registerContract(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, api: Api, check: SenderCheck): () => void {
  const methods = Object.keys(contract) as MethodName[];
  for (const method of methods) {
    ipcMain.handle(methodChannel(method), (event, request: unknown) => handleCall(api, check, method, event, request));
  }
  return () => {
    for (const method of methods) ipcMain.removeHandler(methodChannel(method));
  };
}

/** Send every core event to the window's page on its own channel (nothing while no window is open). */
export function forwardEvents(subscribe: (listener: EventListener) => () => void, contents: () => WebContents | null): () => void {
  return subscribe((event, payload) => {
    const target = contents();
    if (target && !target.isDestroyed()) target.send(eventChannel(event), payload);
  });
}
