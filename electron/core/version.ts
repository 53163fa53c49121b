import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The version in package.json, read once at start-up. */
export const APP_VERSION: string = (require('../../package.json') as { version: string }).version;
