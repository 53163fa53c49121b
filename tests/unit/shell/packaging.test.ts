// `npm run dist` cannot run here (no internet for Electron's binaries), so this checks what it would use:
// the electron-builder config (valid by electron-builder's own schema; targets, files, asarUnpack, fuses
// hook), the package scripts, and the bundles build/shell.build.ts makes — the main process must hold no
// renderer or DOM code and import only what the packaged app ships.
import { builtinModules } from 'node:module';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildShell, type ShellBuild } from '../../../build/shell.build';

const root = path.resolve(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let config: Configuration;
let built: ShellBuild;
let mainJs: string;
let preloadJs: string;

beforeAll(async () => {
  config = await getConfig(root, 'build/electron-builder.yml', null);
  built = await buildShell({ outDir: mkdtempSync(path.join(tmpdir(), 'clusterops-shell-build-')) });
  mainJs = readFileSync(built.main, 'utf8');
  preloadJs = readFileSync(built.preload, 'utf8');
}, 60_000);

function patterns(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((v) => (typeof v === 'string' ? [v] : v && typeof v === 'object' && 'filter' in v ? patterns((v as { filter: unknown }).filter) : []));
}

function targetNames(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));
}

describe('electron-builder config', () => {
  it("is valid by electron-builder's own schema", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.appId).toBe('org.clusterops.console');
    expect(config.productName).toBe('ClusterOps Console');
  });

  it('builds AppImage and deb for Linux, dmg for macOS, nsis for Windows', () => {
    expect(targetNames(config.linux?.target).sort()).toEqual(['AppImage', 'deb']);
    expect(targetNames(config.mac?.target)).toEqual(['dmg']);
    expect(targetNames(config.win?.target)).toEqual(['nsis']);
  });

  it('packs the bundled shell, the built renderer and the example snapshot, starting at the bundle', () => {
    const files = patterns(config.files);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/shell/**/*', 'dist/renderer/**/*', 'build/example/snapshot.db']));
    // No sources, tests or renderer libraries (React is bundled into dist/renderer already).
    expect(files.filter((f) => !f.startsWith('!')).some((f) => /^(electron|shared|renderer|tests)\//.test(f))).toBe(false);
    expect(files).toEqual(expect.arrayContaining(['!**/node_modules/react-dom/**']));
    expect((config.extraMetadata as { main: string }).main).toBe('dist/shell/main.js');
  });

  it('unpacks the native modules and the example snapshot from asar, rebuilding natives at packaging time only', () => {
    expect(config.asar).not.toBe(false);
    expect(patterns(config.asarUnpack)).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/node_modules/cpu-features/**', 'build/example/snapshot.db']));
    expect(config.npmRebuild).toBe(true);
    for (const hook of ['install', 'preinstall', 'postinstall', 'prepare']) {
      expect(pkg.scripts[hook] ?? '', `package.json must not rebuild natives in ${hook}`).not.toMatch(/electron-builder|rebuild|install-app-deps/);
    }
  });

  it('flips the hardening fuses in an afterPack hook: RunAsNode off, OnlyLoadAppFromAsar on', async () => {
    expect(config.afterPack).toBe('./build/electron-after-pack.js');
    expect(pkg.devDependencies['@electron/fuses']).toBeDefined();
    const { FuseV1Options } = (await import('@electron/fuses')).default;
    const hook = (await import(pathToFileURL(path.join(root, 'build/electron-after-pack.js')).href)) as {
      default: (context: unknown) => Promise<void>;
      fuseConfig: (platform: string) => Record<string | number, unknown>;
    };
    for (const platform of ['linux', 'darwin', 'win32']) {
      const fuses = hook.fuseConfig(platform);
      expect(fuses[FuseV1Options.RunAsNode]).toBe(false);
      expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
      expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
      expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
      expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    }
    expect(hook.fuseConfig('darwin')[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(hook.fuseConfig('darwin').resetAdHocDarwinSignature).toBe(true);
    const flipped: unknown[] = [];
    await hook.default({ electronPlatformName: 'linux', packager: { addElectronFuses: async (_c: unknown, f: unknown) => flipped.push(f) } });
    expect(flipped).toEqual([hook.fuseConfig('linux')]);
  });

  it('has npm run dist, documented in the README', () => {
    expect(pkg.scripts.dist).toBe('tsx build/dist.ts');
    expect(pkg.scripts['build:shell']).toBe('tsx build/shell.build.ts');
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toMatch(/npm run dist/);
  });
});

describe('shell bundles', () => {
  it('writes main.js (ESM) and preload.cjs where the builder config and the shell look for them', () => {
    expect(path.basename(built.main)).toBe('main.js');
    expect(path.basename(built.preload)).toBe('preload.cjs');
    expect(existsSync(built.main) && existsSync(built.preload)).toBe(true);
    expect(readFileSync(path.join(root, 'electron/shell/main.ts'), 'utf8')).toContain("'preload.cjs'");
  });

  it('main holds no renderer or DOM code', () => {
    expect(built.inputs.main.filter((f) => f.startsWith('renderer/') || f.endsWith('.tsx'))).toEqual([]);
    expect(built.inputs.main.some((f) => f.startsWith('electron/shell/'))).toBe(true);
    expect(mainJs).not.toMatch(/react-dom|from "react"|zustand/);
    expect(mainJs).not.toMatch(/\bdocument\.(?:createElement|getElementById|querySelector|body|head|title)\b|\bnavigator\.\w+|\blocalStorage\.\w+|\bcreateRoot\(/);
  });

  it('main imports only Node built-ins, electron and the production dependencies the package ships', () => {
    const imported = new Set([...mainJs.matchAll(/^import .*? from "([^"]+)";$|^import "([^"]+)";$/gm)].map((m) => (m[1] ?? m[2])!));
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const allowed = (spec: string) => {
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      return builtins.has(spec) || name === 'electron' || name in pkg.dependencies;
    };
    expect(imported.size).toBeGreaterThan(3);
    expect([...imported].filter((s) => !allowed(s))).toEqual([]);
    expect(imported.has('electron')).toBe(true);
  });

  it('the preload is one CommonJS file from shared/ and the preload only, requiring nothing but electron', () => {
    const ours = built.inputs.preload.filter((f) => !f.startsWith('node_modules/'));
    expect(ours.every((f) => f.startsWith('shared/') || f.startsWith('electron/preload/'))).toBe(true);
    expect(built.inputs.preload.filter((f) => f.startsWith('node_modules/') && !f.startsWith('node_modules/zod/'))).toEqual([]);
    expect([...new Set([...preloadJs.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))]).toEqual(['electron']);
    expect(preloadJs).not.toMatch(/^import /m);
  });
});
