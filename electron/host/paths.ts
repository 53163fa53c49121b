import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository (or unpacked app) root: two levels above electron/host/. */
export const APP_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const RENDERER_DIST = path.join(APP_ROOT, 'dist', 'renderer');
