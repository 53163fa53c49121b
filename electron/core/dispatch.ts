// Validate and run one contract call: the single wrapper every host (IPC, WebSocket) goes through, so a
// malformed or unknown call is refused the same way everywhere and never reaches the core.
import { contract, isMethodName, type Api, type MethodName } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';

export async function dispatch(api: Api, method: unknown, params: unknown): Promise<unknown> {
  if (!isMethodName(method)) throw new ApiError('unknown-method', `unknown method ${JSON.stringify(method)}`);
  const spec = contract[method];
  const parsed = spec.request.safeParse(params ?? {});
  if (!parsed.success) {
    throw new ApiError('bad-request', `invalid request for ${method}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const call = api[method as MethodName] as (request: unknown) => Promise<unknown>;
  const result = await call(parsed.data);
  // The response is checked too: a core bug must surface here, not as a confusing view.
  return spec.response.parse(result);
}
