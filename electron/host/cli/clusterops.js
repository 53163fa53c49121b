#!/usr/bin/env node
// `clusterops` as installed by npm (package.json "bin"): run the bundled CLI when a build made one,
// otherwise the TypeScript sources through tsx (a development checkout).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundled = fileURLToPath(new URL('../../../dist/cli/clusterops.mjs', import.meta.url));
if (existsSync(bundled)) {
  await import(pathToFileURL(bundled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./bin.ts');
}
