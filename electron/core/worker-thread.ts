// Start a worker thread from a module URL. Built code runs its .js worker directly; under tsx (the CLI in
// development, benches) and vitest, the worker is a .ts file that Node cannot load by itself, so it is
// started through a tiny ESM bootstrap that registers tsx's loader in the worker first (a worker does not
// inherit the parent's module hooks).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  // tsx's ESM entry (the `import` condition); require.resolve finds the CommonJS twin next to it.
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), options);
}
