// App-level methods: what the renderer asks first.
import { z } from 'zod';

export const AppInfo = z.object({
  name: z.literal('ClusterOps Console'),
  version: z.string(),
  /** Which host serves the renderer: the Electron shell, or the plain-Node web host in a browser. */
  host: z.enum(['desktop', 'web']),
  /** Wall-clock time of the core, epoch seconds, so views can say how old cached data is. */
  now: z.number().int(),
  /**
   * Where the data comes from: the user's own clusters, the bundled example snapshot (no cluster is
   * configured yet), or an exported snapshot file opened read-only.
   */
  source: z.enum(['live', 'example', 'file']),
  /** Data directory (live) or the file opened (example, file). */
  dataPath: z.string(),
  readonly: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appMethods = {
  'app.info': { request: z.object({}).strict(), response: AppInfo },
} as const;
