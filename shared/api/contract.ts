// The API contract: every method the renderer may call, with zod schemas for its request and response.
// Both hosts (Electron IPC and the web host's WebSocket) validate every call against these schemas, and the
// renderer's Bridge is typed from them, so a method exists in exactly one place.
import { z } from 'zod';

export const AppInfo = z.object({
  name: z.literal('ClusterOps Console'),
  version: z.string(),
  /** Which host serves the renderer: the Electron shell, or the plain-Node web host in a browser. */
  host: z.enum(['desktop', 'web']),
  /** Wall-clock time of the core, epoch seconds, so views can say how old cached data is. */
  now: z.number().int(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const contract = {
  'app.info': { request: z.object({}).strict(), response: AppInfo },
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type RequestOf<M extends MethodName> = z.input<Contract[M]['request']>;
export type ResponseOf<M extends MethodName> = z.output<Contract[M]['response']>;

/** What a core (or a bridge to one) implements: one async function per contract method. */
export type Api = { [M in MethodName]: (request: RequestOf<M>) => Promise<ResponseOf<M>> };

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
