// SSH passwords and key passphrases asked of the user. The core holds the connection attempt and asks
// (`secret.prompt` event); a page answers with `secrets.answer`. Only the answer carries the secret: no
// event, pending list or response ever does, so a second window or a log of events never sees it.
import { z } from 'zod';

/** What is asked: mirrors electron/core/ports.ts SecretRequest. */
export const SecretRequestInfo = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('key-passphrase'), cluster: z.string(), identityFile: z.string(), retry: z.boolean() }),
  z.object({ kind: z.literal('password'), cluster: z.string(), user: z.string(), host: z.string(), port: z.number(), retry: z.boolean() }),
]);
export type SecretRequestInfo = z.infer<typeof SecretRequestInfo>;

export const SecretPromptInfo = z.object({
  id: z.string(),
  request: SecretRequestInfo,
  expiresAt: z.number(),
  /** Whether "remember" can keep it (encrypted, in the OS keychain); if not, why. */
  remember: z.object({ available: z.boolean(), reason: z.string().nullable() }),
});
export type SecretPromptInfo = z.infer<typeof SecretPromptInfo>;

export const SecretAnswerInput = z
  .object({
    id: z.string().min(1).max(100),
    /** null: the user declined (Cancel). */
    value: z.string().min(1, 'type the password or passphrase, or cancel').max(4096, 'at most 4096 characters').nullable(),
    remember: z.boolean(),
  })
  .strict();
export type SecretAnswerInput = z.infer<typeof SecretAnswerInput>;

export const secretsMethods = {
  /** Questions still open, for a page that opened after they were asked. */
  'secrets.pending': { request: z.object({}).strict(), response: z.array(SecretPromptInfo) },
  /**
   * accepted false: the question had already been answered or had timed out. remember: whether the secret
   * will be kept in the secure store once it works (false where there is none, or when not asked to).
   */
  'secrets.answer': { request: SecretAnswerInput, response: z.object({ accepted: z.boolean(), remember: z.boolean() }) },
} as const;
