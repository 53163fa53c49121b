import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository (or unpacked app) root: two levels above electron/host/. */
export const APP_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const RENDERER_DIST = path.join(APP_ROOT, 'dist', 'renderer');
/** The example snapshot shipped with the app (recorded from the test bed by build/example/record.ts). */
export const EXAMPLE_SNAPSHOT = path.join(APP_ROOT, 'build', 'example', 'snapshot.db');
