// The actions.* contract methods over one ActionService per core (its map of running actions is what
// actions.cancel reaches). Progress goes out as `actions.progress` events. Only live cores act: an
// example or exported snapshot has no connections.
import { ApiError } from '../../../shared/api/errors';
import type { Api } from '../../../shared/api/contract';
import { ActionError } from '../actions/action-error';
import { ActionService, DEFAULT_RUN_OPTIONS } from '../actions/action-service';
import { AuditRepo } from '../store/audit-repo';
import { StoreError } from '../store/errors';
import type { CoreContext } from './context';

type ActionsApi = Pick<Api, 'actions.preview' | 'actions.run' | 'actions.retry' | 'actions.undo' | 'actions.cancel' | 'actions.list'>;

const services = new WeakMap<CoreContext, ActionService>();

function service(ctx: CoreContext): ActionService {
  if (!ctx.sync || !ctx.pool || ctx.store.readonly) throw new ApiError('unavailable', `job actions need live clusters; this console shows ${ctx.source === 'live' ? 'a read-only store' : `the ${ctx.source} data`}`);
  let s = services.get(ctx);
  if (!s) {
    s = new ActionService({ store: ctx.store, sync: ctx.sync, pool: ctx.pool, clock: ctx.clock, onProgress: (p) => ctx.emit('actions.progress', p) });
    services.set(ctx, s);
  }
  return s;
}

/** Refusals meant for the person (bad ids, nothing to retry, unknown action) as bad-request. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ActionError || (err instanceof StoreError && err.code === 'not-found')) throw new ApiError('bad-request', err.message);
    throw err;
  }
}

export function actionsApi(ctx: CoreContext): ActionsApi {
  return {
    'actions.preview': (r) => guarded(() => service(ctx).preview(r.cluster, r.action, r.selection)),
    'actions.run': (r) => guarded(() => service(ctx).run(r.cluster, r.action, r.selection, { ...DEFAULT_RUN_OPTIONS, ...r.options }, undefined, r.confirmed)),
    'actions.retry': (r) => guarded(() => service(ctx).retry(r.actionId, { ...DEFAULT_RUN_OPTIONS, ...r.options })),
    'actions.undo': (r) => guarded(() => service(ctx).undo(r.actionId, { ...DEFAULT_RUN_OPTIONS, ...r.options })),
    'actions.cancel': async (r) => ({ cancelled: services.get(ctx)?.cancel(r.actionId) ?? false }),
    // The log is readable everywhere, also from a snapshot file.
    'actions.list': async (r) => new AuditRepo(ctx.store.db).list({ ...(r.cluster ? { cluster: r.cluster } : {}), limit: r.limit ?? 200 }),
  };
}
