// Native dialogs the page may ask the host for. Only the desktop app has them: there the answer is the
// path the user chose (null when cancelled), which the page then passes to an export (usage.export's
// `path`). In a browser the web host answers `available: false` with the reason, and the page keeps its
// typed path field.
import { z } from 'zod';

export const SaveFileRequest = z
  .object({
    title: z.string().min(1).max(200).optional(),
    /** Suggested file name (no folder): the dialog opens in the user's documents folder. */
    defaultName: z
      .string()
      .min(1)
      .max(255)
      .refine((n) => !/[/\\]/.test(n) && n !== '.' && n !== '..', 'a file name without a folder'),
    filters: z
      .array(z.object({ name: z.string().min(1).max(100), extensions: z.array(z.string().regex(/^[A-Za-z0-9]{1,16}$/)).min(1).max(10) }).strict())
      .max(10)
      .default([]),
  })
  .strict();

export const SaveFileResult = z.discriminatedUnion('available', [
  /** path: absolute, or null when the user cancelled. The dialog already asked before overwriting. */
  z.object({ available: z.literal(true), path: z.string().nullable() }),
  z.object({ available: z.literal(false), reason: z.string() }),
]);
export type SaveFileResult = z.infer<typeof SaveFileResult>;

export const SAVE_DIALOG_UNAVAILABLE = 'Save dialogs are not available in the browser: type the full path of the file on the machine running the console.';

export const dialogsMethods = {
  'dialogs.saveFile': { request: SaveFileRequest, response: SaveFileResult },
} as const;
