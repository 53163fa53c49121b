// How the desktop app's preload and main process talk: one IPC channel per contract method and per event,
// named here so the preload (which exposes them), the main process (which handles them) and the renderer
// (which is typed from them) agree. There is no generic channel: a method the contract lacks has no channel.
import { z } from 'zod';
import type { MethodName, RequestOf } from './contract';
import type { EventName } from './events';

/** The global the preload exposes in the page (`window.clusterops`). */
export const PRELOAD_GLOBAL = 'clusterops';

export function methodChannel(method: MethodName): string {
  return `clusterops:call:${method}`;
}

export function eventChannel(event: EventName): string {
  return `clusterops:event:${event}`;
}

/** Events the desktop shell itself sends the page (not core events): a notification was clicked. */
export const shellEvents = {
  /** Open this alert (its desktop notification was clicked). */
  'alert.open': z.object({ alertId: z.number().int() }),
} as const;
export type ShellEventName = keyof typeof shellEvents;

export function shellEventChannel(event: ShellEventName): string {
  return `clusterops:shell:${event}`;
}

/**
 * A method's answer over IPC. Errors travel as data: an exception thrown across IPC and the context bridge
 * keeps only its message, and the page needs the code ('bad-request', 'unauthorized', ...).
 */
export const IpcReply = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type IpcReply = z.infer<typeof IpcReply>;

/** Subscribe to one named event; returns the unsubscribe function. Payloads are checked by the page. */
export type Subscribe = (listener: (payload: unknown) => void) => () => void;

/** What the preload exposes as `window.clusterops`: one function per contract method, one subscription per event. */
export interface PreloadApi {
  readonly methods: { readonly [M in MethodName]: (request: RequestOf<M>) => Promise<IpcReply> };
  readonly events: { readonly [E in EventName]: Subscribe };
  readonly shell: { readonly [E in ShellEventName]: Subscribe };
}
