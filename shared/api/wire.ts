// The message format a Bridge speaks over a byte stream (the web host's WebSocket): requests and their
// replies carry the same id; events from the core carry no id.
import { z } from 'zod';

export const WireRequest = z.object({ id: z.number().int().nonnegative(), method: z.string(), params: z.unknown() });
export type WireRequest = z.infer<typeof WireRequest>;

export const WireReply = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    id: z.number().int(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);
export type WireReply = z.infer<typeof WireReply>;

export const WireEvent = z.object({ event: z.string(), payload: z.unknown() });
export type WireEvent = z.infer<typeof WireEvent>;
