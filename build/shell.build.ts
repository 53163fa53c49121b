// Bundle the desktop shell with esbuild into dist/shell/:
//   main.js      the main process (ESM, Node platform): electron/shell + core + host code it uses; npm
//                packages stay external (they ship in node_modules, native ones unpacked from asar);
//   preload.cjs  the sandboxed preload: one self-contained CommonJS file (a sandboxed preload cannot
//                load other files), only `electron` external.
// dist/shell sits two folders below the app root, as electron/host does, so the host's paths (renderer,
// example snapshot, package.json) resolve the same from the bundle. `npx tsx build/shell.build.ts`.
import { build, type Metafile } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Electron 45 runs Node 22 and Chromium 140. */
const NODE_TARGET = 'node22';
const CHROME_TARGET = 'chrome140';

export interface ShellBuild {
  outDir: string;
  main: string;
  preload: string;
  /** Every source file bundled into each output, relative to the repository. */
  inputs: { main: string[]; preload: string[] };
}

function inputsOf(meta: Metafile): string[] {
  return Object.keys(meta.inputs).sort();
}

export async function buildShell(options: { outDir?: string; minify?: boolean } = {}): Promise<ShellBuild> {
  const outDir = options.outDir ?? path.join(ROOT, 'dist', 'shell');
  const common = {
    absWorkingDir: ROOT,
    bundle: true,
    sourcemap: 'linked',
    minify: options.minify ?? false,
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  } as const;
  const main = await build({
    ...common,
    entryPoints: ['electron/shell/main.ts'],
    outfile: path.join(outDir, 'main.js'),
    platform: 'node',
    format: 'esm',
    target: NODE_TARGET,
    packages: 'external',
  });
  const preload = await build({
    ...common,
    entryPoints: ['electron/preload/preload.ts'],
    outfile: path.join(outDir, 'preload.cjs'),
    platform: 'browser',
    format: 'cjs',
    target: CHROME_TARGET,
    external: ['electron'],
    // Read on every page load, and it carries the contract's schemas: always small.
    minify: true,
  });
  const mainFile = path.join(outDir, 'main.js');
  // A worker started from `new URL('./x.ts', import.meta.url)` would point into dist/shell at a file that
  // is not there; the desktop app does not start any today, and the bundle must not silently grow one.
  const workerUrl = /new URL\(["']\.\/[^"']+\.ts["'], import\.meta\.url\)/.exec(await readFile(mainFile, 'utf8'));
  if (workerUrl) throw new Error(`dist/shell/main.js references a TypeScript file at run time (${workerUrl[0]}): bundle it as its own entry`);
  return {
    outDir,
    main: mainFile,
    preload: path.join(outDir, 'preload.cjs'),
    inputs: { main: inputsOf(main.metafile), preload: inputsOf(preload.metafile) },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const minify = process.argv.includes('--minify');
  buildShell({ minify })
    .then((b) => console.log(`shell built: ${path.relative(ROOT, b.main)}, ${path.relative(ROOT, b.preload)}`))
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
