// The message format a Bridge speaks over a byte stream (the web host's WebSocket): one request, one reply.
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
