// The API contract: every method the renderer may call, with zod schemas for its request and response,
// gathered from one file per area in ./methods. Both hosts (Electron IPC and the web host's WebSocket)
// validate every call against these schemas, and the renderer's Bridge is typed from them, so a method
// exists in exactly one place.
import type { z } from 'zod';
import { actionsMethods } from './methods/actions';
import { alertsMethods } from './methods/alerts';
import { appMethods } from './methods/app';
import { clustersMethods } from './methods/clusters';
import { dialogsMethods } from './methods/dialogs';
import { fairshareMethods } from './methods/fairshare';
import { fleetMethods } from './methods/fleet';
import { snapshotsMethods } from './methods/snapshots';
import { heatmapMethods } from './methods/heatmap';
import { preemptionMethods } from './methods/preemptions';
import { secretsMethods } from './methods/secrets';
import { jobsMethods } from './methods/jobs';
import { usageMethods } from './methods/usage';

export { AppInfo } from './methods/app';

export const contract = {
  ...appMethods,
  ...actionsMethods,
  ...alertsMethods,
  ...fleetMethods,
  ...clustersMethods,
  ...snapshotsMethods,
  ...preemptionMethods,
  ...fairshareMethods,
  ...heatmapMethods,
  ...jobsMethods,
  ...usageMethods,
  ...dialogsMethods,
  ...secretsMethods,
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
