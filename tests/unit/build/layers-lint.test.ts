// The layer rule must fire on forbidden imports and stay quiet on allowed ones. Runs real ESLint with the
// project's own eslint.config.js on virtual files placed in each layer.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

describe('layer lint rule', () => {
  it.each([
    ['shared/x.ts', "import { readFile } from 'node:fs';\nexport const f = readFile;", /Node built-in/],
    ['shared/x.ts', "import path from 'path';\nexport const p = path;", /Node built-in/],
    ['shared/x.ts', "import { create } from 'zustand';\nexport const c = create;", /may only use the packages zod/],
    ['shared/x.ts', "export { createCore } from '../electron/core/core';", /shared\/ must not import from core\//],
    ['renderer/src/x.ts', "import { Client } from 'ssh2';\nexport const c = Client;", /Node-only package 'ssh2'/],
    ['renderer/src/x.ts', "import { app } from 'electron';\nexport const a = app;", /only electron\/shell and electron\/preload/],
    ['renderer/src/x.ts', "import { createCore } from '../../electron/core/core';\nexport const c = createCore;", /renderer\/ must not import from core\//],
    ['electron/core/x.ts', "import { BrowserWindow } from 'electron';\nexport const w = BrowserWindow;", /only electron\/shell/],
    ['electron/core/x.ts', "export const m = () => import('../host/start');", /core\/ must not import from host\//],
    ['electron/core/x.ts', "const e = require('electron');\nexport default e;", /only electron\/shell/],
    // Only the shell and the preload may import electron: not the host, shared/, any other folder of electron/.
    ['electron/host/x.ts', "import { app } from 'electron';\nexport const a = app;", /only electron\/shell and electron\/preload may import 'electron' \(found in host\/\)/],
    ['electron/host/x.ts', "export const m = () => import('electron');", /only electron\/shell and electron\/preload/],
    ['electron/host/x.ts', "export type { WebContents } from 'electron/main';", /only electron\/shell and electron\/preload/],
    ['shared/x.ts', "import type { App } from 'electron';\nexport type A = App;", /only electron\/shell and electron\/preload/],
    ['electron/x.ts', "import { app } from 'electron';\nexport const a = app;", /only electron\/shell and electron\/preload may import 'electron' \(found in electron\/\)/],
    ['electron/tools/x.ts', "import { app } from 'electron';\nexport const a = app;", /only electron\/shell and electron\/preload/],
    // The preload sees the contract only: no core, no host, no Node.
    ['electron/preload/x.ts', "import { createCore } from '../core/core';\nexport const c = createCore;", /preload\/ must not import from core\//],
    ['electron/preload/x.ts', "import { readFile } from 'node:fs';\nexport const f = readFile;", /Node built-in/],
  ])('%s: %s is refused', async (file, code, message) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['shared/x.ts', "import { z } from 'zod';\nimport { contract } from './api/contract';\nexport const a = [z, contract];"],
    ['renderer/src/x.ts', "import { create } from 'zustand';\nimport { contract } from '../../shared/api/contract';\nexport const a = [create, contract];"],
    ['electron/core/x.ts', "import { Client } from 'ssh2';\nimport { readFile } from 'node:fs';\nexport const a = [Client, readFile];"],
    ['electron/shell/x.ts', "import { app } from 'electron';\nimport { createCore } from '../core/core';\nexport const a = [app, createCore];"],
    ['electron/preload/x.ts', "import { contextBridge } from 'electron';\nimport { contract } from '../../shared/api/contract';\nexport const a = [contextBridge, contract];"],
    ['tests/unit/shell/x.ts', "import type { WebContents } from 'electron';\nexport type W = WebContents;"],
  ])('%s: allowed imports pass', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
